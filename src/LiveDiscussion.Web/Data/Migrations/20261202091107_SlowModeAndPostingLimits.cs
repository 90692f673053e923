using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveDiscussion.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SlowModeAndPostingLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "SlowModeSeconds",
                table: "Threads",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "SlowModeUntil",
                table: "Threads",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SlowModeSeconds",
                table: "ThreadEvents",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SlowModeUntil",
                table: "ThreadEvents",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Replies_AuthorId_State",
                table: "Replies",
                columns: new[] { "AuthorId", "State" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Replies_AuthorId_State",
                table: "Replies");

            migrationBuilder.DropColumn(
                name: "SlowModeSeconds",
                table: "Threads");

            migrationBuilder.DropColumn(
                name: "SlowModeUntil",
                table: "Threads");

            migrationBuilder.DropColumn(
                name: "SlowModeSeconds",
                table: "ThreadEvents");

            migrationBuilder.DropColumn(
                name: "SlowModeUntil",
                table: "ThreadEvents");
        }
    }
}
