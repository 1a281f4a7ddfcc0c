using System.Security.Cryptography;
using CreditDesk.Domain.Countries;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Pii;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CreditDesk.Infrastructure.Banks;

public sealed class BankOptions
{
    public const string Section = "Banks";

    /// <summary>How long a bank's older keys keep working after a rotation gave it a new one.</summary>
    public TimeSpan KeyOverlap { get; set; } = TimeSpan.FromHours(24);
}

public sealed record BankKey(string KeyId, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt)
{
    public bool WorksAt(DateTimeOffset now) => Works(ExpiresAt, RevokedAt, now);

    /// <summary>A key works until revoked, or until it expires (a rotation gave the bank a newer one).</summary>
    public static bool Works(DateTimeOffset? expiresAt, DateTimeOffset? revokedAt, DateTimeOffset now) =>
        revokedAt is null && (expiresAt is not { } expires || expires > now);
}

public sealed record Bank(Guid Id, string Name, string Country, string? Contact, bool Active, DateTimeOffset CreatedAt, IReadOnlyList<BankKey> Keys);

/// <summary>A key as the webhook needs it: whose it is, its secret in clear, and whether it works.</summary>
public sealed record BankSigner(Guid BankId, bool BankActive, string Secret, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt)
{
    public bool WorksAt(DateTimeOffset now) => BankKey.Works(ExpiresAt, RevokedAt, now);
}

/// <summary>A key in clear: the only time its secret is ever shown.</summary>
public sealed record NewBankKey(string KeyId, string Secret);

/// <summary>One thing wrong with a bank's registration: its field, a code a screen translates, and the API's English.</summary>
public sealed record BankProblem(string Field, string Code, string Message);

public enum BankAssignment
{
    Assigned,
    ApplicationNotFound,
    NotApproved,
    BankNotFound,
    BankInactive,
    OtherCountry,
}

/// <summary>
/// Bank partners (admins register them) and their inbound signing keys. A bank names the key it signed with in its
/// signature header; a key's secret is stored encrypted with the PII keys and shown only in the answer that created it.
/// Rotating gives a bank a new key and lets its older ones work for <see cref="BankOptions.KeyOverlap"/> more; revoking
/// stops a key at once on every node (the key cache is emptied through NOTIFY <c>creditdesk_access</c>, like API keys').
/// An approved application is given its country's first active bank (a trigger, whoever approves it; or the bank, when
/// one is registered or activated later); an admin may choose another active bank of that country until it is disbursed. A bank acts only on applications it disburses.
/// </summary>
public sealed class BankPartners(NpgsqlDataSource dataSource, PiiCipher cipher, TimeProvider clock, IOptions<BankOptions> options) : IDisposable
{
    /// <summary>What the bank tables' triggers send on <c>creditdesk_access</c> (an API key's revocation sends its id).</summary>
    public const string AccessPayload = "bank";
    public const int MaxNameLength = 100;
    public const int MaxContactLength = 200;
    private const int CacheEntries = 10_000;
    private static readonly TimeSpan KnownFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan UnknownFor = TimeSpan.FromSeconds(5);
    private readonly RevocableCache signers = new(clock, CacheEntries);

    /// <summary>The rules of a registration, for the API's validator and the screen alike; empty when it can be registered.</summary>
    public async Task<IReadOnlyList<BankProblem>> CheckAsync(string? name, string? country, string? contact, CancellationToken cancellationToken)
    {
        var problems = new List<BankProblem>();
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            problems.Add(new("name", "name_required", $"name is required, at most {MaxNameLength} characters."));
        }
        if (!CountryRegistry.TryGet(country, out var policy))
        {
            problems.Add(new("country", "unknown_country", $"country is one of {string.Join(", ", CountryRegistry.All.Select(p => p.Code))}."));
        }
        if (contact?.Trim().Length > MaxContactLength)
        {
            problems.Add(new("contact", "contact_too_long", $"contact is at most {MaxContactLength} characters."));
        }
        if (problems.Count == 0 && policy is not null)
        {
            await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM banks WHERE country = @country AND lower(name) = lower(@name))");
            command.Parameters.AddWithValue("country", policy.Code);
            command.Parameters.AddWithValue("name", name!);
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                problems.Add(new("name", "name_taken", "A bank of that name is already registered in that country."));
            }
        }
        return problems;
    }

    /// <summary>Registers a bank with its first key (returned in clear, once); null when the name was just taken in its country.</summary>
    public async Task<(Bank Bank, NewBankKey Key)?> CreateAsync(string name, string country, string? contact, string createdBy, CancellationToken cancellationToken)
    {
        var key = new NewBankKey(NewKeyId(), NewSecret());
        try
        {
            var id = await InsertAsync(name.Trim(), CountryRegistry.Get(country).Code, contact, createdBy, key, cancellationToken);
            return ((await FindAsync(id, cancellationToken))!, key);
        }
        catch (PostgresException error) when (error is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ux_banks_country_name" })
        {
            return null;
        }
    }

    /// <summary>Makes sure a known bank and key exist (development seeding); does nothing if the key already does.</summary>
    public async Task EnsureAsync(string name, string country, string? contact, string keyId, string secret, CancellationToken cancellationToken)
    {
        await using var exists = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM bank_keys WHERE key_id = @key)");
        exists.Parameters.AddWithValue("key", keyId);
        if (await exists.ExecuteScalarAsync(cancellationToken) is true)
        {
            return;
        }
        var code = CountryRegistry.Get(country).Code;
        var key = new NewBankKey(keyId, secret);
        await using var existing = dataSource.CreateCommand("SELECT id FROM banks WHERE country = @country AND lower(name) = lower(@name)");
        existing.Parameters.AddWithValue("country", code);
        existing.Parameters.AddWithValue("name", name);
        if (await existing.ExecuteScalarAsync(cancellationToken) is Guid bankId)
        {
            // The bank is there with other keys (its configured key changed): it gets this one too.
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await InsertKeyAsync(connection, transaction, bankId, key, clock.GetUtcNow(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        else
        {
            await InsertAsync(name, code, contact, "seed", key, cancellationToken);
        }
        signers.Current.Remove(keyId);
    }

    public async Task<IReadOnlyList<Bank>> ListAsync(CancellationToken cancellationToken) => await ReadBanksAsync(null, cancellationToken);

    public async Task<Bank?> FindAsync(Guid id, CancellationToken cancellationToken) => (await ReadBanksAsync(id, cancellationToken)).SingleOrDefault();

    /// <summary>Activates or deactivates a bank (a deactivated bank's keys are refused); null when there is no such bank.</summary>
    public async Task<Bank?> SetActiveAsync(Guid id, bool active, CancellationToken cancellationToken)
    {
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using var command = new NpgsqlCommand("UPDATE banks SET active = @active WHERE id = @id", connection, transaction);
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("active", active);
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return null;
            }
            if (active)
            {
                await AdoptWaitingAsync(connection, transaction, id, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        ForgetCached();
        return await FindAsync(id, cancellationToken);
    }

    /// <summary>A new key for the bank (returned once); its keys that still work keep working for the overlap, then expire.</summary>
    public async Task<(Bank Bank, NewBankKey Key)?> RotateKeyAsync(Guid id, CancellationToken cancellationToken)
    {
        var key = new NewBankKey(NewKeyId(), NewSecret());
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var expire = new NpgsqlCommand("""
            UPDATE bank_keys SET expires_at = LEAST(coalesce(expires_at, @until), @until)
             WHERE bank_id = @bank AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > @now)
            """, connection, transaction))
        {
            expire.Parameters.AddWithValue("bank", id);
            expire.Parameters.AddWithValue("now", now);
            expire.Parameters.AddWithValue("until", now + options.Value.KeyOverlap);
            await expire.ExecuteNonQueryAsync(cancellationToken);
        }
        if (!await InsertKeyAsync(connection, transaction, id, key, now, cancellationToken))
        {
            return null;
        }
        await transaction.CommitAsync(cancellationToken);
        ForgetCached();
        return ((await FindAsync(id, cancellationToken))!, key);
    }

    /// <summary>Stops one of the bank's keys now; false when the bank has no such working key.</summary>
    public async Task<bool> RevokeKeyAsync(Guid bankId, string keyId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE bank_keys SET revoked_at = @now WHERE bank_id = @bank AND key_id = @key AND revoked_at IS NULL");
        command.Parameters.AddWithValue("bank", bankId);
        command.Parameters.AddWithValue("key", keyId);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        var revoked = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        ForgetCached();
        return revoked;
    }

    /// <summary>The key a webhook names, cached (known for 30 s, unknown for 5 s, emptied on every change to any key or bank).</summary>
    public async Task<BankSigner?> FindSignerAsync(string keyId, CancellationToken cancellationToken)
    {
        var current = signers.Current;
        if (current.TryGetValue(keyId, out BankSigner? cached))
        {
            return cached;
        }
        await using var command = dataSource.CreateCommand("""
            SELECT b.id, b.active, k.pii_key_id, k.secret_cipher, k.expires_at, k.revoked_at
              FROM bank_keys k JOIN banks b ON b.id = k.bank_id
             WHERE k.key_id = @key
            """);
        command.Parameters.AddWithValue("key", keyId);
        BankSigner? signer = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                signer = new BankSigner(reader.GetGuid(0), reader.GetBoolean(1),
                    cipher.Decrypt(reader.GetString(2), reader.GetFieldValue<byte[]>(3)), NullableTime(reader, 4), NullableTime(reader, 5));
            }
        }
        RevocableCache.Remember(current, keyId, signer, signer is null ? UnknownFor : KnownFor);
        return signer;
    }

    /// <summary>Gives an approved, not yet disbursed application to another active bank of its country.</summary>
    public async Task<BankAssignment> AssignAsync(Guid applicationId, Guid bankId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH application AS (SELECT status, country FROM credit_applications WHERE id = @application),
                 bank AS (SELECT active, country FROM banks WHERE id = @bank),
                 assigned AS (
                     UPDATE credit_applications a SET bank_id = @bank
                       FROM bank b
                      WHERE a.id = @application AND a.status = 'APPROVED' AND b.active AND b.country = a.country
                     RETURNING a.id)
            SELECT (SELECT status FROM application), (SELECT country FROM application), (SELECT active FROM bank),
                   (SELECT country FROM bank), EXISTS (SELECT 1 FROM assigned)
            """);
        command.Parameters.AddWithValue("application", applicationId);
        command.Parameters.AddWithValue("bank", bankId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.GetBoolean(4))
        {
            return BankAssignment.Assigned;
        }
        return reader.IsDBNull(0) ? BankAssignment.ApplicationNotFound
            : reader.IsDBNull(2) ? BankAssignment.BankNotFound
            : !reader.GetBoolean(2) ? BankAssignment.BankInactive
            : reader.GetString(1) != reader.GetString(3) ? BankAssignment.OtherCountry
            : BankAssignment.NotApproved;
    }

    /// <summary>The bank an application is with; null when it is with none (or there is no such application).</summary>
    public async Task<Guid?> BankOfAsync(Guid applicationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT bank_id FROM credit_applications WHERE id = @id");
        command.Parameters.AddWithValue("id", applicationId);
        return await command.ExecuteScalarAsync(cancellationToken) is Guid bank ? bank : null;
    }

    /// <summary>Every node calls it when a bank or key changes anywhere (NOTIFY <c>creditdesk_access</c>).</summary>
    public void ForgetCached() => signers.Forget();

    public void Dispose() => signers.Dispose();

    /// <summary><c>bk_</c> and 16 hex digits: what a bank puts in <c>kid=</c>.</summary>
    private static string NewKeyId() => "bk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private static string NewSecret() =>
        "bksec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task<Guid> InsertAsync(string name, string country, string? contact, string createdBy, NewBankKey key, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        var encrypted = string.IsNullOrWhiteSpace(contact) ? (EncryptedText?)null : cipher.Encrypt(contact.Trim());
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO banks (id, name, country, contact_cipher, pii_key_id, active, created_at, created_by)
            VALUES (@id, @name, @country, @contact, @key_id, TRUE, @now, @by)
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("name", name);
            insert.Parameters.AddWithValue("country", country);
            insert.Parameters.AddWithValue("contact", NpgsqlTypes.NpgsqlDbType.Bytea, (object?)encrypted?.Data ?? DBNull.Value);
            insert.Parameters.AddWithValue("key_id", NpgsqlTypes.NpgsqlDbType.Varchar, (object?)encrypted?.KeyId ?? DBNull.Value);
            insert.Parameters.AddWithValue("now", now);
            insert.Parameters.AddWithValue("by", createdBy);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await InsertKeyAsync(connection, transaction, id, key, now, cancellationToken);
        await AdoptWaitingAsync(connection, transaction, id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>
    /// Approved applications of the bank's country that found no active bank when they were approved go to this one,
    /// if it is now the country's first active bank (what the approval would have chosen).
    /// </summary>
    private static async Task AdoptWaitingAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid bankId, CancellationToken cancellationToken)
    {
        await using var adopt = new NpgsqlCommand("""
            UPDATE credit_applications a SET bank_id = b.id
              FROM banks b
             WHERE b.id = @bank AND a.country = b.country AND a.status = 'APPROVED' AND a.bank_id IS NULL
               AND b.id = (SELECT creditdesk_first_active_bank(country) FROM banks WHERE id = @bank)
            """, connection, transaction);
        adopt.Parameters.AddWithValue("bank", bankId);
        await adopt.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<bool> InsertKeyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid bankId, NewBankKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var encrypted = cipher.Encrypt(key.Secret);
        await using var insert = new NpgsqlCommand("""
            INSERT INTO bank_keys (id, key_id, bank_id, secret_cipher, pii_key_id, created_at)
            SELECT @id, @key, id, @secret, @pii_key, @now FROM banks WHERE id = @bank
            """, connection, transaction);
        insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
        insert.Parameters.AddWithValue("key", key.KeyId);
        insert.Parameters.AddWithValue("bank", bankId);
        insert.Parameters.AddWithValue("secret", encrypted.Data);
        insert.Parameters.AddWithValue("pii_key", encrypted.KeyId);
        insert.Parameters.AddWithValue("now", now);
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<IReadOnlyList<Bank>> ReadBanksAsync(Guid? id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT b.id, b.name, b.country, b.pii_key_id, b.contact_cipher, b.active, b.created_at,
                   k.key_id, k.created_at, k.expires_at, k.revoked_at
              FROM banks b LEFT JOIN bank_keys k ON k.bank_id = b.id
             WHERE @id::uuid IS NULL OR b.id = @id
             ORDER BY b.country, b.name, b.id, k.created_at DESC, k.id DESC
            """);
        command.Parameters.AddWithValue("id", NpgsqlTypes.NpgsqlDbType.Uuid, (object?)id ?? DBNull.Value);
        var banks = new List<Bank>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        List<BankKey>? keys = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            var bankId = reader.GetGuid(0);
            if (banks.Count == 0 || banks[^1].Id != bankId)
            {
                keys = [];
                var contact = reader.IsDBNull(4) ? null : cipher.Decrypt(reader.GetString(3), reader.GetFieldValue<byte[]>(4));
                banks.Add(new Bank(bankId, reader.GetString(1), reader.GetString(2), contact, reader.GetBoolean(5),
                    reader.GetFieldValue<DateTimeOffset>(6), keys));
            }
            if (!reader.IsDBNull(7))
            {
                keys!.Add(new BankKey(reader.GetString(7), reader.GetFieldValue<DateTimeOffset>(8), NullableTime(reader, 9), NullableTime(reader, 10)));
            }
        }
        return banks;
    }

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
