namespace CreditDesk.Infrastructure;

/// <summary>Something to tell a person on screen: a key of the screens' texts (DeskText) and the values it names, said in the reader's language by the screen.</summary>
public sealed record ScreenText(string Key, params object[] Values);
