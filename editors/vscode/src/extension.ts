// factlens for VS Code: starts `factlens lsp` for Markdown and plain-text
// articles, forwards the `factlens.*` settings, shows indexing progress in the
// status bar, and opens the cross-reference report of an article.

import * as cp from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as vscode from "vscode";
import {
  ConfigurationParams,
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ProgressToken,
  ServerOptions,
  State,
  TransportKind,
  WorkDoneProgress,
  WorkDoneProgressBegin,
  WorkDoneProgressCreateRequest,
  WorkDoneProgressReport,
} from "vscode-languageclient/node";

const SECTION = "factlens";
const INSTALL_HINT =
  "Install it with `cargo install --path server` from the factlens repository, or set `factlens.path` to the binary.";
/** Settings that only the extension uses; never sent to the server. */
const CLIENT_ONLY = new Set(["path", "trace"]);

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let status: vscode.StatusBarItem;
let warnedMissing = false;
let pathTimer: NodeJS.Timeout | undefined;
const REPORT_SCHEME = "factlens-report";
const reports = new Map<string, string>();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("factlens");
  status = vscode.window.createStatusBarItem("factlens.indexing", vscode.StatusBarAlignment.Left, 10);
  status.name = "factlens indexing";
  status.command = "factlens.showOutput";
  context.subscriptions.push(output, status);

  context.subscriptions.push(
    vscode.commands.registerCommand("factlens.restartServer", async () => {
      await stopClient();
      warnedMissing = false;
      await startClient(context);
    }),
    vscode.commands.registerCommand("factlens.showOutput", () => output.show(true)),
    vscode.commands.registerCommand("factlens.showMatches", () => showMatches()),
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, {
      provideTextDocumentContent: (uri) => reports.get(uri.toString()) ?? "",
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme === REPORT_SCHEME) reports.delete(d.uri.toString());
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("factlens.path")) {
        // settings files are saved in steps: restart once they settle
        clearTimeout(pathTimer);
        pathTimer = setTimeout(async () => {
          await stopClient();
          warnedMissing = false;
          await startClient(context);
        }, 400);
      } else if (e.affectsConfiguration(SECTION) && client?.isRunning()) {
        const settings = explicitSettings();
        output.appendLine(`factlens: settings changed: ${JSON.stringify(settings)}`);
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { [SECTION]: settings },
        });
      }
    }),
    { dispose: () => void stopClient() },
  );

  await startClient(context);
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

/** `factlens.path` if set (with `~` and `${workspaceFolder}` expanded), else PATH. */
function findBinary(): string | undefined {
  const configured = (vscode.workspace.getConfiguration(SECTION).get<string>("path") ?? "").trim();
  if (configured) {
    let p = configured.replace(/^~(?=$|[\\/])/, os.homedir());
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (folder) p = p.replace(/\$\{workspaceFolder\}/g, folder);
    if (!path.isAbsolute(p) && !p.includes(path.sep)) return onPath(p);
    if (!path.isAbsolute(p) && folder) p = path.join(folder, p);
    return isExecutable(p) ? p : undefined;
  }
  return onPath("factlens");
}

function onPath(name: string): string | undefined {
  const exts = process.platform === "win32" ? (process.env.PATHEXT ?? ".EXE").split(";") : [""];
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutable(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The `factlens` settings the user actually set (user, workspace or folder
 * level), so that `factlens.toml` keeps its say on everything else.
 */
function explicitSettings(scope?: vscode.ConfigurationScope): Record<string, unknown> {
  const cfg = vscode.workspace.getConfiguration(SECTION, scope);
  const out: Record<string, unknown> = {};
  const pkg = vscode.extensions.getExtension("factlens.factlens")?.packageJSON;
  const props: Record<string, unknown> = pkg?.contributes?.configuration?.properties ?? {};
  for (const full of Object.keys(props)) {
    const key = full.slice(SECTION.length + 1);
    if (CLIENT_ONLY.has(key.split(".")[0])) continue;
    const i = cfg.inspect(key);
    if (!i) continue;
    const v = i.workspaceFolderValue ?? i.workspaceValue ?? i.globalValue;
    if (v === undefined || v === null) continue;
    if (typeof v === "string" && v === "" && key === "noteTemplate") continue;
    out[key] = v;
  }
  return out;
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const bin = findBinary();
  if (!bin) {
    const configured = vscode.workspace.getConfiguration(SECTION).get<string>("path");
    const where = configured ? `at factlens.path (${configured})` : "on PATH";
    output.appendLine(`factlens binary not found ${where}. ${INSTALL_HINT}`);
    if (!warnedMissing) {
      warnedMissing = true;
      const pick = await vscode.window.showErrorMessage(
        `factlens: the factlens binary was not found ${where}. ${INSTALL_HINT}`,
        "Open Settings",
        "Copy Install Command",
      );
      if (pick === "Open Settings") {
        void vscode.commands.executeCommand("workbench.action.openSettings", "factlens.path");
      } else if (pick === "Copy Install Command") {
        void vscode.env.clipboard.writeText("cargo install --path server");
      }
    }
    return;
  }
  output.appendLine(`factlens: starting ${bin} lsp`);

  const serverOptions: ServerOptions = {
    command: bin,
    args: ["lsp"],
    transport: TransportKind.stdio, // the client appends --stdio
  };
  const watchers = [
    vscode.workspace.createFileSystemWatcher("**/*.{md,markdown,txt}"),
    vscode.workspace.createFileSystemWatcher("**/factlens.toml"),
  ];
  context.subscriptions.push(...watchers);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "file", language: "plaintext" },
      { scheme: "untitled", language: "markdown" },
      { scheme: "untitled", language: "plaintext" },
    ],
    outputChannel: output,
    initializationOptions: explicitSettings(),
    // Settings changes are pushed by hand (below), with only the explicitly
    // set values, like the answers to workspace/configuration.
    synchronize: { fileEvents: watchers },
    middleware: {
      workspace: {
        // Answer `workspace/configuration` for the `factlens` section with
        // the explicitly set values only (see explicitSettings).
        configuration: async (params: ConfigurationParams, token, next) => {
          const results = await next(params, token);
          if (!Array.isArray(results)) return results;
          return params.items.map((item, i) => {
            if (item.section !== SECTION && item.section !== undefined) return results[i];
            const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
            const mine = explicitSettings(scope);
            return item.section === SECTION ? mine : { ...(results[i] as object), [SECTION]: mine };
          });
        },
      },
    },
  };

  const c = new LanguageClient("factlens", "factlens", serverOptions, clientOptions);
  client = c;
  c.onDidChangeState((e) => {
    if (e.newState === State.Stopped) status.hide();
  });
  try {
    await c.start();
  } catch (err) {
    output.appendLine(`factlens: the server failed to start: ${String(err)}`);
    void vscode.window.showErrorMessage(`factlens: the server failed to start (${String(err)}). See the factlens output.`);
    return;
  }
  // Show the server's work-done progress (indexing) in the status bar.
  c.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
    trackProgress(c, token);
    return null;
  });
}

function trackProgress(c: LanguageClient, token: ProgressToken): void {
  let title = "indexing";
  const sub = c.onProgress(WorkDoneProgress.type, token, (value) => {
    if (value.kind === "begin") {
      title = (value as WorkDoneProgressBegin).title || title;
      render(title, value);
      status.show();
    } else if (value.kind === "report") {
      render(title, value as WorkDoneProgressReport);
    } else {
      status.hide();
      sub.dispose();
    }
  });
}

function render(title: string, v: { message?: string; percentage?: number }): void {
  const pct = typeof v.percentage === "number" ? ` ${Math.round(v.percentage)}%` : "";
  status.text = `$(sync~spin) factlens: ${title}${pct}`;
  status.tooltip = v.message ? `factlens: ${title} — ${v.message}` : `factlens: ${title}`;
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  status?.hide();
  if (c && c.state !== State.Stopped) {
    try {
      await c.stop(5000);
    } catch (err) {
      output.appendLine(`factlens: stopping the server: ${String(err)}`);
    }
  }
}

/** `factlens matches FILE --workspace ROOT` into a document beside the article. */
async function showMatches(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.scheme !== "file") {
    void vscode.window.showInformationMessage("factlens: open a saved article first.");
    return;
  }
  const bin = findBinary();
  if (!bin) {
    void vscode.window.showErrorMessage(`factlens: the factlens binary was not found. ${INSTALL_HINT}`);
    return;
  }
  const file = editor.document.uri.fsPath;
  const root = vscode.workspace.getWorkspaceFolder(editor.document.uri)?.uri.fsPath ?? path.dirname(file);
  if (editor.document.isDirty) await editor.document.save();
  const args = ["matches", file, "--workspace", root];
  const text = await new Promise<string>((resolve) => {
    cp.execFile(bin, args, { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && !stdout) {
        resolve(`factlens ${args.join(" ")} failed:\n\n${stderr || String(err)}\n`);
      } else {
        resolve(stdout || "No claim of this article matches another article of the workspace.\n");
      }
    });
  });
  const rel = path.relative(root, file) || path.basename(file);
  const header = `Cross-reference report: ${rel}\n(factlens ${args.join(" ")})\n\n`;
  // A read-only virtual document: not an article, so never analysed itself.
  const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${rel} — factlens matches`, query: String(Date.now()) });
  reports.set(uri.toString(), header + text);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}
