// The circuit pings every 5 s (the server too: the client arms its ping when it hears from the server), so the server
// notices a silently dropped tab within its 12 s client timeout and presence forgets it within 15 s. A file, not an
// inline script: the CSP allows 'self' only.
Blazor.start({
    circuit: {
        configureSignalR: builder => builder.withKeepAliveInterval(5000),
    },
});
