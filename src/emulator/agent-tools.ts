/**
 * How the emulator's tool-caller model recognises the file-reading and shell
 * tools of the coding agents, so "read the file /abs/path/token.txt" makes
 * each agent run its own tool on that file. Observed by logging the tool lists
 * the agents sent to the emulator (versions pinned in scripts/install-agents.mjs):
 *
 * | agent (version)          | tool chosen      | arguments the model writes            |
 * |--------------------------|------------------|---------------------------------------|
 * | Claude Code 2.1.330      | `Read`           | `{file_path: "/abs/token.txt"}`       |
 * |                          | (`Bash`)         | `{command: "cat /abs/token.txt"}`     |
 * | opencode 1.18.33         | `read`           | `{filePath: "/abs/token.txt"}`        |
 * |                          | (`bash`)         | `{command: "cat /abs/token.txt"}`     |
 * | Codex 0.169.0            | `exec_command`   | `{cmd: "cat /abs/token.txt"}`         |
 * |   (older Codex)          | `shell`          | `{command: ["cat", "/abs/token.txt"]}`|
 * | MCP filesystem, Cursor   | `read_file`, `view` | `{path: ...}`                      |
 *
 * Arguments come from each tool's JSON schema (model.ts `synthesizeArguments`):
 * a required property whose name says path/file/dir gets the path, one named
 * `command`/`cmd` gets `cat <path>` (an array of words when the schema says
 * array), everything else a placeholder of its type. Names are matched
 * exactly: Claude Code's `Read` and opencode's `read` are different tools.
 */
export const PREFERRED_TOOLS: readonly string[] = ['read', 'Read', 'read_file', 'view', 'bash', 'Bash', 'shell', 'exec_command'];

/**
 * Agents put more than the user's words in the user turn, before them: Claude
 * Code's `<system-reminder>` blocks name the working directory and files such
 * as `~/.claude/keybindings.json`, Codex's `<environment_context>` the working
 * directory. So the model takes the LAST path that names a file (its last
 * segment has an extension), and a directory only when no file is named.
 */
export const FILE_NAME = /\/[\w@+-][\w.@+-]*\.[A-Za-z0-9]{1,8}$/;
