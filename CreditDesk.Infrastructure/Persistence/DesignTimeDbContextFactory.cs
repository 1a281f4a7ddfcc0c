using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CreditDesk.Infrastructure.Persistence;

/// <summary>
/// For dotnet-ef only (`migrations add`, `has-pending-model-changes`): the model without the app's composition root.
/// No database is reached to compare the model with the snapshot; the connection string is a placeholder.
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<CreditDeskDbContext>
{
    public CreditDeskDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<CreditDeskDbContext>()
        .UseNpgsql("Host=localhost;Database=creditdesk_design")
        .Options);
}
