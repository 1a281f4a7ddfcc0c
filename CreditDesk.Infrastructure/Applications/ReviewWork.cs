using CreditDesk.Domain.Applications;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Pii;
using Npgsql;

namespace CreditDesk.Infrastructure.Applications;

public abstract record AssignmentResult
{
    public sealed record Done(string? Assignee) : AssignmentResult;

    public sealed record NotFound : AssignmentResult;

    /// <summary>Only applications under review are worked by a person.</summary>
    public sealed record NotUnderReview(string Status) : AssignmentResult;

    /// <summary>Someone else holds it: an officer cannot take it over (an admin can reassign).</summary>
    public sealed record HeldByOther(string Assignee) : AssignmentResult;

    public sealed record NotAllowed(string Detail) : AssignmentResult;

    /// <summary>The user id is not an officer or admin of the desk.</summary>
    public sealed record UnknownAssignee : AssignmentResult;
}

public abstract record NoteResult
{
    public sealed record Written(ReviewNote Note) : NoteResult;

    public sealed record NotFound : NoteResult;

    /// <summary>Only the author may edit, and only within <see cref="ReviewWork.NoteEditWindow"/>.</summary>
    public sealed record Locked(string Detail) : NoteResult;
}

public sealed record ReviewNote(Guid Id, Guid ApplicationId, string AuthorId, string Text, DateTimeOffset CreatedAt, DateTimeOffset? EditedAt);

public sealed record AssignmentEntry(DateTimeOffset OccurredAt, string Action, string? Assignee, string ActorId);

public sealed record StaffMember(string Id, string Name, string Role);

/// <summary>
/// The work of review: who holds an application under review (claimed by an officer, assigned by an admin, released),
/// each change kept in <c>application_assignments</c>; and review notes, encrypted like other personal data, editable by
/// their author for five minutes and never deleted. Staff only: callers check roles before coming here.
/// </summary>
public sealed class ReviewWork(NpgsqlDataSource dataSource, PiiCipher cipher, TimeProvider clock)
{
    public const int MaxNoteLength = 4_000;
    public static readonly TimeSpan NoteEditWindow = TimeSpan.FromMinutes(5);

    public const string Claimed = "claimed";
    public const string Assigned = "assigned";
    public const string Released = "released";

    /// <summary>Gives the application to <paramref name="assignee"/>: an officer only to themself and only if nobody holds it; an admin to any staff member.</summary>
    public async Task<AssignmentResult> AssignAsync(Guid applicationId, Caller caller, string assignee, CancellationToken cancellationToken)
    {
        if (caller.IsApplicant || (!caller.IsAdmin && assignee != caller.Id))
        {
            return new AssignmentResult.NotAllowed("Officers claim applications for themselves; admins assign them to others.");
        }
        if (assignee != caller.Id && await FindStaffAsync(assignee, cancellationToken) is null)
        {
            return new AssignmentResult.UnknownAssignee();
        }
        return await ChangeAsync(applicationId, caller, assignee, assignee == caller.Id ? Claimed : Assigned, cancellationToken);
    }

    /// <summary>Lets go of the application: its holder, or an admin.</summary>
    public Task<AssignmentResult> ReleaseAsync(Guid applicationId, Caller caller, CancellationToken cancellationToken) =>
        caller.IsApplicant
            ? Task.FromResult<AssignmentResult>(new AssignmentResult.NotAllowed("Only staff work applications."))
            : ChangeAsync(applicationId, caller, null, Released, cancellationToken);

    private async Task<AssignmentResult> ChangeAsync(Guid applicationId, Caller caller, string? assignee, string action, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        string status;
        string? holder;
        await using (var select = new NpgsqlCommand("SELECT status, assigned_to FROM credit_applications WHERE id = @id FOR UPDATE", connection, transaction))
        {
            select.Parameters.AddWithValue("id", applicationId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return new AssignmentResult.NotFound();
            }
            status = reader.GetString(0);
            holder = reader.IsDBNull(1) ? null : reader.GetString(1);
        }
        if (status != ApplicationStatus.UnderReview.ToCode())
        {
            return new AssignmentResult.NotUnderReview(status);
        }
        if (holder == assignee)
        {
            return new AssignmentResult.Done(assignee);
        }
        if (holder is not null && !caller.IsAdmin && holder != caller.Id)
        {
            return new AssignmentResult.HeldByOther(holder);
        }
        var now = clock.GetUtcNow();
        await using (var write = new NpgsqlCommand("""
            UPDATE credit_applications SET assigned_to = @assignee, assigned_at = @assigned_at WHERE id = @id;
            INSERT INTO application_assignments (application_id, action, assignee, actor_id, occurred_at) VALUES (@id, @action, @assignee, @actor, @now);
            """, connection, transaction))
        {
            write.Parameters.AddWithValue("id", applicationId);
            write.Parameters.AddWithValue("assignee", (object?)assignee ?? DBNull.Value);
            write.Parameters.AddWithValue("now", now);
            write.Parameters.AddWithValue("assigned_at", assignee is null ? DBNull.Value : now);
            write.Parameters.AddWithValue("action", action);
            write.Parameters.AddWithValue("actor", caller.Id);
            await write.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new AssignmentResult.Done(assignee);
    }

    public async Task<IReadOnlyList<AssignmentEntry>> AssignmentsAsync(Guid applicationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT occurred_at, action, assignee, actor_id FROM (
                SELECT id, occurred_at, action, assignee, actor_id FROM application_assignments
                 WHERE application_id = @id ORDER BY id DESC LIMIT {ApplicationQueries.ListBound}) latest
             ORDER BY id
            """);
        command.Parameters.AddWithValue("id", applicationId);
        var entries = new List<AssignmentEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AssignmentEntry(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3)));
        }
        return entries;
    }

    /// <summary>Adds a note (the text is checked by the caller: 1 to <see cref="MaxNoteLength"/> characters); null when the application does not exist.</summary>
    public async Task<ReviewNote?> AddNoteAsync(Guid applicationId, Caller caller, string text, CancellationToken cancellationToken)
    {
        var note = new ReviewNote(Guid.CreateVersion7(), applicationId, caller.Id, text.Trim(), clock.GetUtcNow(), null);
        var encrypted = cipher.Encrypt(note.Text);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO application_notes (id, application_id, author_id, text_cipher, pii_key_id, created_at)
            SELECT @note, id, @author, @text, @key, @now FROM credit_applications WHERE id = @id
            """);
        command.Parameters.AddWithValue("note", note.Id);
        command.Parameters.AddWithValue("id", applicationId);
        command.Parameters.AddWithValue("author", caller.Id);
        command.Parameters.AddWithValue("text", encrypted.Data);
        command.Parameters.AddWithValue("key", encrypted.KeyId);
        command.Parameters.AddWithValue("now", note.CreatedAt);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? note : null;
    }

    /// <summary>Rewrites a note: only its author, only within <see cref="NoteEditWindow"/> of writing it.</summary>
    public async Task<NoteResult> EditNoteAsync(Guid applicationId, Guid noteId, Caller caller, string text, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var encrypted = cipher.Encrypt(text.Trim());
        await using var command = dataSource.CreateCommand("""
            WITH note AS (SELECT id, author_id, created_at FROM application_notes WHERE id = @note AND application_id = @id),
                 edited AS (
                    UPDATE application_notes n SET text_cipher = @text, pii_key_id = @key, edited_at = @now
                      FROM note WHERE n.id = note.id AND note.author_id = @author AND note.created_at > @cutoff
                    RETURNING n.created_at)
            SELECT note.author_id, note.created_at, (SELECT count(*) FROM edited) FROM note
            """);
        command.Parameters.AddWithValue("note", noteId);
        command.Parameters.AddWithValue("id", applicationId);
        command.Parameters.AddWithValue("text", encrypted.Data);
        command.Parameters.AddWithValue("key", encrypted.KeyId);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("author", caller.Id);
        command.Parameters.AddWithValue("cutoff", now - NoteEditWindow);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new NoteResult.NotFound();
        }
        var (author, createdAt, edited) = (reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt64(2));
        return edited == 1
            ? new NoteResult.Written(new ReviewNote(noteId, applicationId, author, text.Trim(), createdAt, now))
            : new NoteResult.Locked(author != caller.Id
                ? "Only its author can change a note."
                : $"A note can be changed for {NoteEditWindow.TotalMinutes:0} minutes after it was written; add another note instead.");
    }

    /// <summary>The latest notes of an application, oldest first.</summary>
    public async Task<IReadOnlyList<ReviewNote>> NotesAsync(Guid applicationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT id, author_id, pii_key_id, text_cipher, created_at, edited_at FROM (
                SELECT * FROM application_notes WHERE application_id = @id ORDER BY created_at DESC LIMIT {ApplicationQueries.ListBound}) latest
             ORDER BY created_at
            """);
        command.Parameters.AddWithValue("id", applicationId);
        var notes = new List<ReviewNote>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            notes.Add(new ReviewNote(reader.GetGuid(0), applicationId, reader.GetString(1), cipher.Decrypt(reader.GetString(2), reader.GetFieldValue<byte[]>(3)),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return notes;
    }

    /// <summary>The desk's officers and admins (people who sign in), by e-mail.</summary>
    public async Task<IReadOnlyList<StaffMember>> StaffAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT u.id, COALESCE(u.email, u.user_name, u.id), min(r.name) FROM identity_users u
              JOIN identity_user_roles ur ON ur.user_id = u.id JOIN identity_roles r ON r.id = ur.role_id
             WHERE r.name IN ('{Roles.Officer}', '{Roles.Admin}')
             GROUP BY u.id, u.email, u.user_name ORDER BY 2
            """);
        var staff = new List<StaffMember>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            staff.Add(new StaffMember(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        return staff;
    }

    private async Task<StaffMember?> FindStaffAsync(string userId, CancellationToken cancellationToken) =>
        (await StaffAsync(cancellationToken)).FirstOrDefault(member => member.Id == userId);
}
