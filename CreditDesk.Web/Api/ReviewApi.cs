using CreditDesk.Infrastructure.Applications;
using CreditDesk.Web.Security;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditDesk.Web.Api;

/// <summary>
/// Review work on <c>/api/v1/applications/{id}</c> (officers and admins): who holds an application under review
/// (<c>assignment</c>) and review notes (<c>notes</c>). Applicants never reach these.
/// </summary>
public static class ReviewApi
{
    private const int BodyLimit = 32 * 1024;

    public static RouteGroupBuilder MapReviewApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/applications/{id:guid}").RequireAuthorization(Policies.Staff).WithTags("Review")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(BodyLimit));
        group.MapPost("assignment", AssignAsync).ValidatedBody<AssignmentRequest>().ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("AssignApplication");
        group.MapDelete("assignment", ReleaseAsync).ProducesProblem(StatusCodes.Status409Conflict).WithName("ReleaseApplication");
        group.MapGet("notes", NotesAsync).WithName("ListNotes");
        group.MapPost("notes", AddNoteAsync).ValidatedBody<NoteRequest>().WithName("AddNote");
        group.MapPatch("notes/{noteId:guid}", EditNoteAsync).ValidatedBody<NoteRequest>().ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("EditNote");
        group.MapGet("proposals", ProposalsAsync).WithName("ListProposals");
        group.MapPost("proposals", ProposeAsync).ValidatedBody<StatusChangeRequest>().ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("ProposeStatusChange");
        group.MapPost("proposals/{proposalId:guid}/confirm", ConfirmAsync).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("ConfirmProposal");
        group.MapPost("proposals/{proposalId:guid}/decline", DeclineAsync).ValidatedBody<DeclineRequest>().ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("DeclineProposal");
        return group;
    }

    private static async Task<Results<Ok<List<ProposalResponse>>, ProblemHttpResult>> ProposalsAsync(
        Guid id, SignedIn signedIn, ApplicationQueries queries, Proposals proposals, CancellationToken cancellationToken) =>
        await queries.GetSummaryAsync(signedIn.Caller, id, cancellationToken) is null
            ? ApiProblems.NotFound($"Application {id}")
            : TypedResults.Ok((await proposals.ListAsync(id, cancellationToken)).Select(ProposalResponse.From).ToList());

    /// <summary>An officer or admin proposes APPROVED or REJECTED with a reason; a different admin confirms it.</summary>
    private static async Task<Results<Created<ProposalResponse>, ProblemHttpResult>> ProposeAsync(
        Guid id, SignedIn signedIn, StatusChangeRequest request, Proposals proposals, CancellationToken cancellationToken) =>
        await proposals.ProposeAsync(id, signedIn.Caller, request.Target, request.Reason, cancellationToken) switch
        {
            ProposalResult.Done done => TypedResults.Created($"/api/v1/applications/{id}/proposals/{done.Proposal.Id}", ProposalResponse.From(done.Proposal)),
            var other => Problem(id, other),
        };

    private static async Task<Results<Ok<ProposalResponse>, ProblemHttpResult>> ConfirmAsync(
        Guid id, Guid proposalId, SignedIn signedIn, Proposals proposals, CancellationToken cancellationToken) =>
        Closed(id, await proposals.ConfirmAsync(id, proposalId, signedIn.Caller, cancellationToken));

    private static async Task<Results<Ok<ProposalResponse>, ProblemHttpResult>> DeclineAsync(
        Guid id, Guid proposalId, SignedIn signedIn, DeclineRequest request, Proposals proposals, CancellationToken cancellationToken) =>
        Closed(id, await proposals.DeclineAsync(id, proposalId, signedIn.Caller, request.Reason, cancellationToken));

    private static Results<Ok<ProposalResponse>, ProblemHttpResult> Closed(Guid id, ProposalResult result) =>
        result is ProposalResult.Done done ? TypedResults.Ok(ProposalResponse.From(done.Proposal)) : Problem(id, result);

    private static ProblemHttpResult Problem(Guid id, ProposalResult result) => result switch
    {
        ProposalResult.NotFound => ApiProblems.NotFound($"Application {id} or its proposal"),
        ProposalResult.Refused refused => ApiProblems.FromDomain(refused.Error),
        ProposalResult.AlreadyPending => ApiProblems.Conflict("proposal_pending", "This application already has a proposal waiting for confirmation."),
        ProposalResult.OwnProposal => ApiProblems.Problem(StatusCodes.Status403Forbidden, "own_proposal",
            "A proposal is confirmed or declined by a different admin than the one who made it."),
        ProposalResult.NoLongerPending closed => ApiProblems.Conflict("proposal_closed",
            closed.State == Proposal.Superseded
                ? "The application changed since the proposal was made; nothing was moved and the proposal is closed."
                : $"The proposal is already {closed.State}."),
        ProposalResult.NotAllowed refused => ApiProblems.Forbidden(refused.Detail),
        _ => throw new InvalidOperationException("Unknown proposal result."),
    };

    /// <summary><c>{"assignee": "me"}</c> claims it; an admin gives a staff member's user id.</summary>
    private static async Task<Results<Ok<AssignmentResponse>, ProblemHttpResult>> AssignAsync(
        Guid id, SignedIn signedIn, AssignmentRequest request, ReviewWork review, CancellationToken cancellationToken)
    {
        var assignee = request.Assignee == AssignmentRequest.Me ? signedIn.Caller.Id : request.Assignee!;
        return Answer(id, await review.AssignAsync(id, signedIn.Caller, assignee, cancellationToken));
    }

    private static async Task<Results<Ok<AssignmentResponse>, ProblemHttpResult>> ReleaseAsync(
        Guid id, SignedIn signedIn, ReviewWork review, CancellationToken cancellationToken) =>
        Answer(id, await review.ReleaseAsync(id, signedIn.Caller, cancellationToken));

    private static Results<Ok<AssignmentResponse>, ProblemHttpResult> Answer(Guid id, AssignmentResult result) => result switch
    {
        AssignmentResult.Done done => TypedResults.Ok(new AssignmentResponse(id, done.Assignee)),
        AssignmentResult.NotFound => ApiProblems.NotFound($"Application {id}"),
        AssignmentResult.NotUnderReview other => ApiProblems.Conflict("not_under_review", $"Only applications under review are assigned; this one is {other.Status}."),
        AssignmentResult.HeldByOther => ApiProblems.Conflict("already_assigned", "Someone else is working on this application; an admin can reassign it."),
        AssignmentResult.UnknownAssignee => ApiProblems.Validation(new Dictionary<string, string[]> { ["assignee"] = ["Not an officer or admin of this desk."] }),
        AssignmentResult.NotAllowed refused => ApiProblems.Forbidden(refused.Detail),
        _ => throw new InvalidOperationException("Unknown assignment result."),
    };

    private static async Task<Results<Ok<List<NoteResponse>>, ProblemHttpResult>> NotesAsync(
        Guid id, SignedIn signedIn, ApplicationQueries queries, ReviewWork review, CancellationToken cancellationToken) =>
        await queries.GetSummaryAsync(signedIn.Caller, id, cancellationToken) is null
            ? ApiProblems.NotFound($"Application {id}")
            : TypedResults.Ok((await review.NotesAsync(id, cancellationToken)).Select(NoteResponse.From).ToList());

    private static async Task<Results<Created<NoteResponse>, ProblemHttpResult>> AddNoteAsync(
        Guid id, SignedIn signedIn, NoteRequest request, ReviewWork review, CancellationToken cancellationToken) =>
        await review.AddNoteAsync(id, signedIn.Caller, request.Text!, cancellationToken) is { } note
            ? TypedResults.Created($"/api/v1/applications/{id}/notes/{note.Id}", NoteResponse.From(note))
            : ApiProblems.NotFound($"Application {id}");

    private static async Task<Results<Ok<NoteResponse>, ProblemHttpResult>> EditNoteAsync(
        Guid id, Guid noteId, SignedIn signedIn, NoteRequest request, ReviewWork review, CancellationToken cancellationToken) =>
        await review.EditNoteAsync(id, noteId, signedIn.Caller, request.Text!, cancellationToken) switch
        {
            NoteResult.Written written => TypedResults.Ok(NoteResponse.From(written.Note)),
            NoteResult.Locked locked => ApiProblems.Conflict("note_locked", locked.Detail),
            _ => ApiProblems.NotFound($"Note {noteId}"),
        };
}

/// <summary><c>POST /api/v1/applications/{id}/assignment</c>: "me", or (admins) a staff member's user id.</summary>
public sealed record AssignmentRequest(string? Assignee)
{
    public const string Me = "me";
}

public sealed class AssignmentRequestValidator : AbstractValidator<AssignmentRequest>
{
    public AssignmentRequestValidator() =>
        RuleFor(request => request.Assignee).Must(assignee => !string.IsNullOrWhiteSpace(assignee))
            .WithMessage("Say \"me\" or give a staff member's user id.")
            .StorableText(64, "A user id has at most 64 characters.").OverridePropertyName("assignee");
}

public sealed record AssignmentResponse(Guid ApplicationId, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? AssignedTo);

/// <summary><c>POST</c> and <c>PATCH /api/v1/applications/{id}/notes</c>.</summary>
public sealed record NoteRequest(string? Text);

public sealed class NoteRequestValidator : AbstractValidator<NoteRequest>
{
    public NoteRequestValidator() =>
        RuleFor(request => request.Text).Must(text => !string.IsNullOrWhiteSpace(text)).WithMessage("A note needs some text.")
            .StorableText(ReviewWork.MaxNoteLength, $"A note has at most {ReviewWork.MaxNoteLength} characters.").OverridePropertyName("text");
}

public sealed record NoteResponse(Guid Id, string AuthorId, string Text, DateTime CreatedAt, DateTime? EditedAt)
{
    public static NoteResponse From(ReviewNote note) => new(note.Id, note.AuthorId, note.Text, note.CreatedAt.UtcDateTime, note.EditedAt?.UtcDateTime);
}

/// <summary><c>POST /api/v1/applications/{id}/proposals/{pid}/decline</c>.</summary>
public sealed record DeclineRequest(string? Reason);

public sealed class DeclineRequestValidator : AbstractValidator<DeclineRequest>
{
    public DeclineRequestValidator() =>
        RuleFor(request => request.Reason).Must(reason => !string.IsNullOrWhiteSpace(reason)).WithMessage("Say why the proposal is declined.")
            .StorableText(StatusChangeRequest.MaxReasonLength, $"A reason has at most {StatusChangeRequest.MaxReasonLength} characters.").OverridePropertyName("reason");
}

public sealed record ProposalResponse(
    Guid Id, string FromStatus, string ToStatus, string Reason, string ProposedBy, DateTime ProposedAt, string State, string? DecidedBy, DateTime? DecidedAt,
    string? DeclineReason)
{
    public static ProposalResponse From(Proposal p) => new(
        p.Id, p.FromStatus, p.ToStatus, p.Reason, p.ProposedBy, p.ProposedAt.UtcDateTime, p.State, p.DecidedBy, p.DecidedAt?.UtcDateTime, p.DeclineReason);
}
