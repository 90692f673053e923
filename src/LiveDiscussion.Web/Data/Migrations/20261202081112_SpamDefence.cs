using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveDiscussion.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SpamDefence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "BodyHash",
                table: "Replies",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HeldReason",
                table: "Replies",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CreatedAt",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_Replies_BodyHash_CreatedAt",
                table: "Replies",
                columns: new[] { "BodyHash", "CreatedAt" },
                filter: "BodyHash IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Replies_BodyHash_CreatedAt",
                table: "Replies");

            migrationBuilder.DropColumn(
                name: "BodyHash",
                table: "Replies");

            migrationBuilder.DropColumn(
                name: "HeldReason",
                table: "Replies");

            migrationBuilder.DropColumn(
                name: "CreatedAt",
                table: "AspNetUsers");
        }
    }
}
