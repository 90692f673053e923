using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveDiscussion.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class WordPressLinksLabelsAndContacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AuthorEmail",
                table: "Replies",
                type: "TEXT",
                maxLength: 320,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AuthorIp",
                table: "Replies",
                type: "TEXT",
                maxLength: 45,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ThreadLabels",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ThreadId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ThreadLabels", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ThreadLabels_Threads_ThreadId",
                        column: x => x.ThreadId,
                        principalTable: "Threads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ThreadLinks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ThreadId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Excerpt = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SourceKey = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ThreadLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ThreadLinks_Threads_ThreadId",
                        column: x => x.ThreadId,
                        principalTable: "Threads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ThreadLabels_ThreadId_Kind_Name",
                table: "ThreadLabels",
                columns: new[] { "ThreadId", "Kind", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ThreadLinks_SourceKey",
                table: "ThreadLinks",
                column: "SourceKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ThreadLinks_ThreadId_CreatedAt",
                table: "ThreadLinks",
                columns: new[] { "ThreadId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ThreadLabels");

            migrationBuilder.DropTable(
                name: "ThreadLinks");

            migrationBuilder.DropColumn(
                name: "AuthorEmail",
                table: "Replies");

            migrationBuilder.DropColumn(
                name: "AuthorIp",
                table: "Replies");
        }
    }
}
