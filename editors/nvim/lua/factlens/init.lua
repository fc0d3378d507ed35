-- factlens for Neovim: starts `factlens lsp` for Markdown and plain-text
-- buffers, one client per workspace root (found from `.git` or
-- `factlens.toml`), and forwards settings to the server.
--
-- Works on Neovim 0.7 (vim.lsp.start_client + vim.lsp.buf_attach_client)
-- and 0.8+ (vim.lsp.start). It sets no keymaps: see `:help factlens`.

local M = {}

local defaults = {
  -- The server command. `factlens` must be on PATH, or give a full path.
  cmd = { "factlens", "lsp" },
  -- Filetypes to attach to.
  filetypes = { "markdown", "text" },
  -- Files or directories that mark the workspace root (nearest one wins).
  root_markers = { "factlens.toml", ".git" },
  -- The `factlens` settings (same keys as factlens.toml or the VS Code
  -- settings, snake_case or camelCase), sent as initializationOptions and
  -- in answer to workspace/configuration. Example:
  --   { severity = { ["unsourced-figure"] = "error" }, noteStyle = "inline" }
  settings = {},
  -- Passed through to the LSP client.
  on_attach = nil,
  capabilities = nil,
  handlers = nil,
  name = "factlens",
}

M.config = vim.deepcopy(defaults)
-- root directory -> client id (Neovim 0.7 path: one client per root).
local clients = {}
local warned_missing = false

--- Call a client method: `client.f(...)` up to 0.10, `client:f(...)` from 0.11.
local function call(client, name, ...)
  if vim.fn.has("nvim-0.11") == 1 then
    return client[name](client, ...)
  end
  return client[name](...)
end

local function notify(msg, level)
  vim.schedule(function()
    vim.notify("factlens: " .. msg, level or vim.log.levels.INFO)
  end)
end

local function as_object(t)
  if t == nil or (type(t) == "table" and next(t) == nil) then
    return vim.empty_dict()
  end
  return t
end

--- The workspace root of a buffer: the nearest directory upward holding one of
--- `root_markers`; else the buffer's own directory.
function M.root_dir(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr or 0)
  local start = name ~= "" and vim.fn.fnamemodify(name, ":p:h") or vim.fn.getcwd()
  local best
  for _, marker in ipairs(M.config.root_markers) do
    -- a marker may be a file (factlens.toml, a worktree's .git) or a directory
    for _, found in ipairs({
      vim.fn.findfile(marker, start .. ";"),
      vim.fn.finddir(marker, start .. ";"),
    }) do
      if found ~= "" then
        local dir = vim.fn.fnamemodify(found, ":p")
        dir = dir:gsub("/$", "")
        dir = vim.fn.fnamemodify(dir, ":h")
        if not best or #dir > #best then
          best = dir
        end
      end
    end
  end
  return best or start
end

local function configuration_handler(_, result, ctx)
  local settings = M.config.settings or {}
  local out = {}
  for i, item in ipairs((result or {}).items or {}) do
    if item.section == nil or item.section == "" then
      out[i] = { factlens = as_object(settings) }
    elseif item.section == "factlens" then
      out[i] = as_object(settings)
    elseif vim.startswith(item.section, "factlens.") then
      local v = settings
      for part in item.section:sub(#"factlens." + 1):gmatch("[^.]+") do
        v = type(v) == "table" and v[part] or nil
      end
      out[i] = v == nil and vim.NIL or v
    else
      out[i] = vim.NIL
    end
  end
  local _ = ctx
  return out
end

local function client_config(root)
  local cfg = M.config
  local handlers = vim.tbl_extend("force", {
    ["workspace/configuration"] = configuration_handler,
  }, cfg.handlers or {})
  return {
    name = cfg.name,
    cmd = cfg.cmd,
    root_dir = root,
    workspace_folders = {
      { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ":t") },
    },
    init_options = as_object(cfg.settings),
    settings = { factlens = as_object(cfg.settings) },
    handlers = handlers,
    -- Neovim 0.7 answers workspace/configuration but does not announce it;
    -- announce it so that the server pulls our settings.
    capabilities = vim.tbl_deep_extend(
      "force",
      vim.lsp.protocol.make_client_capabilities(),
      { workspace = { configuration = true, didChangeConfiguration = { dynamicRegistration = false } } },
      cfg.capabilities or {}
    ),
    on_attach = cfg.on_attach,
    on_exit = function()
      for r, id in pairs(clients) do
        if vim.lsp.get_client_by_id(id) == nil or r == root then
          clients[r] = nil
        end
      end
    end,
  }
end

local function executable()
  local exe = M.config.cmd[1]
  if vim.fn.executable(exe) == 1 then
    return true
  end
  if not warned_missing then
    warned_missing = true
    notify(
      ("the server `%s` was not found. Install it with `cargo install --path server` "
        .. "from the factlens repository, or pass its path: "
        .. "require('factlens').setup({ cmd = { '/path/to/factlens', 'lsp' } })"):format(exe),
      vim.log.levels.ERROR
    )
  end
  return false
end

--- Attach factlens to a buffer (starting or reusing the client of its root).
--- Returns the client id, or nil.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if not vim.api.nvim_buf_is_valid(bufnr) or vim.bo[bufnr].buftype ~= "" then
    return nil
  end
  if not executable() then
    return nil
  end
  local root = M.root_dir(bufnr)
  if vim.lsp.start then -- Neovim 0.8+
    return vim.lsp.start(client_config(root), { bufnr = bufnr })
  end
  local id = clients[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or call(client, "is_stopped") then
    id = vim.lsp.start_client(client_config(root))
    if not id then
      notify("could not start " .. table.concat(M.config.cmd, " "), vim.log.levels.ERROR)
      return nil
    end
    clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- The factlens clients running now.
function M.clients()
  local out = {}
  local all = vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()
  for _, c in pairs(all) do
    if c.name == M.config.name then
      table.insert(out, c)
    end
  end
  return out
end

--- Replace the settings and tell the running servers
--- (workspace/didChangeConfiguration).
function M.set_settings(settings)
  M.config.settings = settings or {}
  for _, c in ipairs(M.clients()) do
    c.config.settings = { factlens = as_object(M.config.settings) }
    call(c, "notify", "workspace/didChangeConfiguration", { settings = { factlens = as_object(M.config.settings) } })
  end
end

--- Stop the factlens clients; the next matching buffer starts them again.
function M.restart()
  for _, c in ipairs(M.clients()) do
    call(c, "stop")
  end
  clients = {}
  vim.defer_fn(function()
    for _, b in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(b) and vim.tbl_contains(M.config.filetypes, vim.bo[b].filetype) then
        M.attach(b)
      end
    end
  end, 500)
end

function M.setup(opts)
  M.config = vim.tbl_deep_extend("force", vim.deepcopy(defaults), opts or {})
  -- lists replace, not merge
  for _, k in ipairs({ "cmd", "filetypes", "root_markers" }) do
    if opts and opts[k] then
      M.config[k] = opts[k]
    end
  end
  local group = vim.api.nvim_create_augroup("factlens", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = M.config.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  -- buffers already open when setup() runs
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) and vim.tbl_contains(M.config.filetypes, vim.bo[b].filetype) then
      M.attach(b)
    end
  end
  pcall(vim.api.nvim_create_user_command, "FactlensRestart", M.restart, { desc = "Restart the factlens server" })
  pcall(vim.api.nvim_create_user_command, "FactlensInfo", function()
    local lines = {}
    for _, c in ipairs(M.clients()) do
      table.insert(lines, ("client %d: %s (root %s)"):format(c.id, table.concat(c.config.cmd, " "), c.config.root_dir))
    end
    if #lines == 0 then
      lines = { "no factlens client running" }
    end
    vim.notify(table.concat(lines, "\n"))
  end, { desc = "Show the factlens clients" })
end

return M
