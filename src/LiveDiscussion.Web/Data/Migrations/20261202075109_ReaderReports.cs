using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveDiscussion.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReaderReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ReplyFlags",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ReplyId = table.Column<long>(type: "INTEGER", nullable: false),
                    ThreadId = table.Column<long>(type: "INTEGER", nullable: false),
                    ReporterId = table.Column<string>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    HidReply = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReviewedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Resolution = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReplyFlags", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReplyFlags_AspNetUsers_ReporterId",
                        column: x => x.ReporterId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ReplyFlags_Replies_ReplyId",
                        column: x => x.ReplyId,
                        principalTable: "Replies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ReplyFlags_Threads_ThreadId",
                        column: x => x.ThreadId,
                        principalTable: "Threads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ReplyFlags_ReplyId_ReporterId",
                table: "ReplyFlags",
                columns: new[] { "ReplyId", "ReporterId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReplyFlags_ReporterId",
                table: "ReplyFlags",
                column: "ReporterId");

            migrationBuilder.CreateIndex(
                name: "IX_ReplyFlags_ReviewedAt",
                table: "ReplyFlags",
                column: "ReviewedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ReplyFlags_ThreadId",
                table: "ReplyFlags",
                column: "ThreadId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ReplyFlags");
        }
    }
}
