# Multi-stage build: the SDK image builds and publishes, the ASP.NET runtime image runs it as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props CreditDesk.sln ./
COPY CreditDesk.Domain/CreditDesk.Domain.csproj CreditDesk.Domain/
COPY CreditDesk.Infrastructure/CreditDesk.Infrastructure.csproj CreditDesk.Infrastructure/
COPY CreditDesk.Web/CreditDesk.Web.csproj CreditDesk.Web/
RUN dotnet restore CreditDesk.Web/CreditDesk.Web.csproj
COPY CreditDesk.Domain/ CreditDesk.Domain/
COPY CreditDesk.Infrastructure/ CreditDesk.Infrastructure/
COPY CreditDesk.Web/ CreditDesk.Web/
RUN dotnet publish CreditDesk.Web/CreditDesk.Web.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# Configuration comes only from the environment (connection string, PII keys, webhook secrets, OTLP endpoint).
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_gcServer=1
EXPOSE 8080
USER app
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD curl -fs http://localhost:8080/health/ready || exit 1
ENTRYPOINT ["dotnet", "CreditDesk.Web.dll"]
