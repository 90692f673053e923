using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveDiscussion.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class HeldEdits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "EditRejectedAt",
                table: "Replies",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EditRejectedReason",
                table: "Replies",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ProposedAt",
                table: "Replies",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProposedBody",
                table: "Replies",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProposedBodyHtml",
                table: "Replies",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ProposedBodyHtmlRules",
                table: "Replies",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProposedHeldReason",
                table: "Replies",
                type: "TEXT",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EditRejectedAt",
                table: "Replies");

            migrationBuilder.DropColumn(
                name: "EditRejectedReason",
                table: "Replies");

            migrationBuilder.DropColumn(
                name: "ProposedAt",
                table: "Replies");

            migrationBuilder.DropColumn(
                name: "ProposedBody",
                table: "Replies");

            migrationBuilder.DropColumn(
                name: "ProposedBodyHtml",
                table: "Replies");

            migrationBuilder.DropColumn(
                name: "ProposedBodyHtmlRules",
                table: "Replies");

            migrationBuilder.DropColumn(
                name: "ProposedHeldReason",
                table: "Replies");
        }
    }
}
