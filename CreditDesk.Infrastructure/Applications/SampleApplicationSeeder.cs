using CreditDesk.Domain.Applications;
using CreditDesk.Infrastructure.Processing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CreditDesk.Infrastructure.Applications;

/// <summary>
/// Outside Production (and when <c>Seed:SampleApplications</c> is on), an empty database gets a few sample applications in every country, submitted through the normal
/// intake so they are encrypted, audited and decided like any other.
/// </summary>
public sealed partial class SampleApplicationSeeder(
    NpgsqlDataSource dataSource, SchemaReadiness schema, ApplicationSubmission submission, IConfiguration configuration,
    ILogger<SampleApplicationSeeder> logger)
    : BackgroundService
{
    private static readonly ApplicationForm[] Samples =
    [
        new("ES", "Lucía Fernández García", "12345678Z", 12_000m, 3_200m, 36),
        new("ES", "Javier Martín López", "X1234567L", 25_000m, 4_500m, 60),
        new("ES", "Marta Sánchez Ruiz", "00000000T", 8_000m, 1_100m, 24),
        new("PT", "João Silva Santos", "123456789", 10_000m, 1_500m, 48),
        new("PT", "Ana Beatriz Costa", "999999990", 60_000m, 900m, 84),
        new("IT", "Mario Rossi", "RSSMRA85T10A562S", 20_000m, 2_800m, 48),
        new("IT", "Giulia Moretti", "MRTMTT25D09F205Z", 55_000m, 3_000m, 84),
        new("MX", "Gloria Hernández García", "HEGG560427MVZRRL04", 90_000m, 25_000m, 36),
        new("MX", "Andrés López Obrador", "LOOA531113HTCPBN07", 150_000m, 12_000m, 24),
        new("CO", "Camila Rodríguez Díaz", "1020304050", 20_000_000m, 6_000_000m, 48),
        new("CO", "Santiago Gómez", "79123456", 60_000_000m, 9_000_000m, 84),
        new("BR", "Beatriz Oliveira Souza", "52998224725", 30_000m, 7_000m, 48),
        new("BR", "Rafael Pereira Lima", "11144477735", 90_000m, 2_500m, 60),
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Seed:SampleApplications", false))
        {
            return;
        }
        await schema.WhenReady.WaitAsync(stoppingToken);
        await using (var count = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM credit_applications)"))
        {
            if ((bool)(await count.ExecuteScalarAsync(stoppingToken))!)
            {
                return;
            }
        }
        foreach (var sample in Samples)
        {
            await submission.SubmitAsync(sample, "seed", applicantUserId: null, stoppingToken);
        }
        LogSeeded(logger, Samples.Length);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Count} sample applications")]
    private static partial void LogSeeded(ILogger logger, int count);
}
