using Microsoft.EntityFrameworkCore.Migrations;

namespace CreditDesk.Infrastructure.Persistence.Migrations;

/// <summary>
/// The baseline of dotnet-ef's model snapshot. The tables already exist (the SQL migrations before this one made them),
/// so it changes nothing; from here on `dotnet ef migrations add` diffs the model against the snapshot, and what EF
/// cannot express (triggers, NOTIFY functions, partial indexes, Quartz's tables) stays `migrationBuilder.Sql`.
/// </summary>
public partial class SnapshotBaseline : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
    }
}
