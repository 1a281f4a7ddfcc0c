using CreditDesk.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddCreditDeskLogging();
builder.AddCreditDeskTelemetry();
builder.AddCreditDeskWeb();

var app = builder.Build();
app.MapCreditDesk();
app.Run();

public partial class Program;
