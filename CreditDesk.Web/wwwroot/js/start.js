// The circuit pings every 5 s so the server notices a dropped tab within its 12 s client timeout (presence forgets it
// within 15 s); everything else as Blazor's defaults. A file, not an inline script: the CSP allows 'self' only.
Blazor.start({
    circuit: {
        configureSignalR: builder => builder.withKeepAliveInterval(5000),
    },
});
