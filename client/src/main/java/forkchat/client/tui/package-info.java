/**
 * The terminal: JLine setup ({@link forkchat.client.tui.Terminals}), the prompt, how each line
 * looks ({@link forkchat.client.tui.LineRenderer} with {@link forkchat.client.tui.NickColors}),
 * printing above the input ({@link forkchat.client.tui.TerminalScreen}) and tab completion
 * ({@link forkchat.client.tui.ChatCompleter}).
 */
package forkchat.client.tui;
