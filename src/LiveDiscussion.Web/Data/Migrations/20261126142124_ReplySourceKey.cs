using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveDiscussion.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReplySourceKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SourceKey",
                table: "Replies",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Replies_SourceKey",
                table: "Replies",
                column: "SourceKey",
                unique: true,
                filter: "SourceKey IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Replies_SourceKey",
                table: "Replies");

            migrationBuilder.DropColumn(
                name: "SourceKey",
                table: "Replies");
        }
    }
}
