using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveDiscussion.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class StoredBodyHtml : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "BodyHtml",
                table: "Threads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "BodyHtmlRules",
                table: "Threads",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BodyHtml",
                table: "Replies",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "BodyHtmlRules",
                table: "Replies",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BodyHtml",
                table: "Threads");

            migrationBuilder.DropColumn(
                name: "BodyHtmlRules",
                table: "Threads");

            migrationBuilder.DropColumn(
                name: "BodyHtml",
                table: "Replies");

            migrationBuilder.DropColumn(
                name: "BodyHtmlRules",
                table: "Replies");
        }
    }
}
