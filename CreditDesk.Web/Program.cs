using CreditDesk.Web;

var startup = Observability.BootstrapLogger();
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddCreditDeskLogging();
    builder.AddCreditDeskTelemetry();
    builder.AddCreditDeskWeb();

    var app = builder.Build();
    app.MapCreditDesk();
    app.Run();
}
catch (Exception exception) when (exception is not HostAbortedException)
{
    // Configuration errors (a missing PII key, a bad connection string) are logged as JSON like everything else.
    startup.Fatal(exception, "CreditDesk could not start");
    throw;
}
finally
{
    (startup as IDisposable)?.Dispose();
}

public partial class Program;
