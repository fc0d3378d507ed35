-- End-to-end test of the factlens Neovim plugin in a real (headless) Neovim.
-- Run by tests/editors/nvim/run.sh:
--   nvim --headless --clean -n -i NONE -c 'luafile tests/editors/nvim/test.lua'
-- Env: FACTLENS_BIN (server binary), FACTLENS_WS (a throwaway copy of the
-- fixture workspace), FACTLENS_PLUGIN (editors/nvim), FACTLENS_TIMEOUT_MS.
-- Writes one JSON object on stdout; exits 0 when every check passed.

local BIN = assert(os.getenv("FACTLENS_BIN"), "FACTLENS_BIN not set")
local WS = assert(os.getenv("FACTLENS_WS"), "FACTLENS_WS not set")
local PLUGIN = assert(os.getenv("FACTLENS_PLUGIN"), "FACTLENS_PLUGIN not set")
local TIMEOUT = tonumber(os.getenv("FACTLENS_TIMEOUT_MS") or "") or 15000

-- Analysis features of this server (see probe_features).
local FEATURES = { quotes = false, attribution = false, matching = false }

local T_START = vim.loop.hrtime()

--- Call a client method: `client.f(...)` up to 0.10, `client:f(...)` from 0.11.
local function call(client, name, ...)
  if vim.fn.has("nvim-0.11") == 1 then
    return client[name](client, ...)
  end
  return client[name](...)
end
local results = { editor = "neovim", version = tostring(vim.version().major) .. "." .. tostring(vim.version().minor) .. "." .. tostring(vim.version().patch), checks = {}, ok = true }
local finished = false

local function finish()
  if finished then
    return
  end
  finished = true
  io.stdout:write(vim.fn.json_encode(results) .. "\n")
  io.stdout:flush()
  for _, c in pairs(vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()) do
    pcall(call, c, "stop", true)
  end
  vim.cmd(results.ok and "qall!" or "cquit 1")
end

local function check(name, ok, detail)
  table.insert(results.checks, { name = name, status = ok and "pass" or "FAIL", detail = detail })
  if not ok then
    results.ok = false
  end
  io.stderr:write(("%s [%5.1f s] %s%s\n"):format(ok and "ok  " or "FAIL", (vim.loop.hrtime() - T_START) / 1e9, name, (not ok and detail) and (" -- " .. vim.inspect(detail)) or ""))
  return ok
end

local function skip(name, why)
  table.insert(results.checks, { name = name, status = "skip", detail = "SKIP: " .. why })
  io.stderr:write(("SKIP %s -- %s\n"):format(name, why))
end

-- Hard stop: whatever happens, report and exit within the budget.
local guard = vim.loop.new_timer()
-- The step the test was in, for the time-limit report.
local STEP = { name = "start", at = 0 }
local function step(name)
  STEP = { name = name, at = (vim.loop.hrtime() - T_START) / 1e9 }
end
guard:start(TIMEOUT * 8, 0, vim.schedule_wrap(function()
  check("overall time limit", false, ("the test did not finish within %d ms; stuck in step %q since %.1f s"):format(TIMEOUT * 8, STEP.name, STEP.at))
  finish()
end))

-- Count publishDiagnostics per URI so that waits can require a fresh one.
local published = {}
local default_publish = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
  if result and result.uri then
    local p = published[result.uri] or { count = 0 }
    p.count = p.count + 1
    p.version = result.version
    p.diagnostics = result.diagnostics
    published[result.uri] = p
  end
  return default_publish(err, result, ctx, config)
end

local function pub_count(bufnr)
  local p = published[vim.uri_from_bufnr(bufnr)]
  return p and p.count or 0
end

-- The position encoding of the factlens client (utf-16 on Neovim 0.7;
-- newer versions offer utf-8 and the server may pick it).
local ENCODING = "utf-16"

--- Byte column of an LSP `character` in a line, in ENCODING.
local function byte_col(line, character)
  if ENCODING == "utf-8" then
    return math.min(character, #line)
  end
  local ok, col
  if vim.fn.has("nvim-0.11") == 1 then
    ok, col = pcall(vim.str_byteindex, line, ENCODING, character, false)
  else
    ok, col = pcall(vim.str_byteindex, line, character, ENCODING == "utf-16")
  end
  return ok and col or -1
end

--- LSP `character` of a byte column, in ENCODING.
local function lsp_char(line, byte)
  if ENCODING == "utf-8" then
    return byte
  end
  if vim.fn.has("nvim-0.11") == 1 then
    return vim.str_utfindex(line, ENCODING, byte, false)
  end
  local u32, u16 = vim.str_utfindex(line, byte)
  return ENCODING == "utf-16" and u16 or u32
end

--- The factlens diagnostics last published for a buffer, as the server sent
--- them (`d`), with the text their UTF-16 range covers in the buffer now.
local function factlens_diags(bufnr)
  local p = published[vim.uri_from_bufnr(bufnr)]
  local out = {}
  for _, d in ipairs(p and p.diagnostics or {}) do
    if d.source == "factlens" then
      local s, e = d.range.start, d.range["end"]
      local lines = vim.api.nvim_buf_get_lines(bufnr, s.line, e.line + 1, false)
      local text
      if #lines == 0 then
        text = ""
      else
        local c0 = byte_col(lines[1], s.character)
        local c1 = byte_col(lines[#lines], e.character)
        if #lines == 1 then
          text = lines[1]:sub(c0 + 1, c1)
        else
          lines[1] = lines[1]:sub(c0 + 1)
          lines[#lines] = lines[#lines]:sub(1, c1)
          text = table.concat(lines, "\n")
        end
        table.insert(out, { code = d.code, text = text, lnum = s.line, col = c0, d = d })
      end
    end
  end
  return out
end

local function describe(bufnr)
  local out = {}
  for _, f in ipairs(factlens_diags(bufnr)) do
    table.insert(out, ("%s %d:%d %q"):format(f.code, f.lnum + 1, f.col, f.text))
  end
  return out
end

local QUOTE_MARKS = { '"', "“", "”", "«", "»", "„", "‘", "’" }
local function strip_quotes(s)
  local changed = true
  while changed do
    changed = false
    for _, m in ipairs(QUOTE_MARKS) do
      if vim.startswith(s, m) then
        s, changed = s:sub(#m + 1), true
      end
      if vim.endswith(s, m) then
        s, changed = s:sub(1, #s - #m), true
      end
    end
  end
  return s
end

local function same_text(expected, f)
  if f.code == "unattributed-quote" then
    return strip_quotes(f.text) == strip_quotes(expected)
  end
  return f.text == expected
end

local function find(bufnr, code, text)
  for _, f in ipairs(factlens_diags(bufnr)) do
    if f.code == code and same_text(text, f) then
      return f
    end
  end
end

--- Every expected (code, text) present, and no other unsourced-figure or
--- unattributed-quote diagnostic (sourced claims aside: checked on their own).
local function exactly(bufnr, expected, sourced)
  for _, e in ipairs(expected) do
    if not find(bufnr, e[1], e[2]) then
      return false
    end
  end
  for _, f in ipairs(factlens_diags(bufnr)) do
    if f.code == "unsourced-figure" or f.code == "unattributed-quote" then
      local wanted = false
      for _, e in ipairs(expected) do
        wanted = wanted or (e[1] == f.code and same_text(e[2], f))
      end
      for _, t in ipairs(sourced or {}) do
        wanted = wanted or (f.code == "unsourced-figure" and f.text == t)
      end
      if not wanted then
        return false
      end
    end
  end
  return true
end

local function client_of(bufnr)
  local list = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr }) or vim.lsp.buf_get_clients(bufnr)
  for _, c in pairs(list) do
    if c.name == "factlens" then
      return c
    end
  end
end

--- Ask `ask(timeout_ms)` again every `interval` ms until it returns true
--- or `ms` have passed. A flat loop rather than a request inside a
--- vim.wait condition: no nested event loops, and every request's own
--- timeout ends at the deadline. Returns done, attempts, elapsed ms.
local function poll(ms, interval, ask)
  local t0 = vim.loop.hrtime()
  local deadline = t0 + ms * 1e6
  local attempts = 0
  while true do
    attempts = attempts + 1
    local left = math.max(1, math.floor((deadline - vim.loop.hrtime()) / 1e6))
    if ask(left) then
      return true, attempts, math.floor((vim.loop.hrtime() - t0) / 1e6)
    end
    if vim.loop.hrtime() + interval * 1e6 >= deadline then
      return false, attempts, math.floor((vim.loop.hrtime() - t0) / 1e6)
    end
    vim.wait(interval)
  end
end

local function hover_text(result)
  if not result then
    return ""
  end
  local c = result.contents
  if type(c) == "string" then
    return c
  end
  if c.value then
    return c.value
  end
  local parts = {}
  for _, x in ipairs(c) do
    table.insert(parts, type(x) == "string" and x or x.value or "")
  end
  return table.concat(parts, "\n")
end

local METHOD_CAP = {
  ["textDocument/hover"] = "hoverProvider",
  ["textDocument/references"] = "referencesProvider",
  ["textDocument/codeAction"] = "codeActionProvider",
}

local function request(bufnr, method, params, timeout_ms)
  local cap = METHOD_CAP[method]
  local c = client_of(bufnr)
  if cap and c and not (c.server_capabilities or {})[cap] then
    -- Neovim 0.7 waits for the whole timeout on a method no client supports
    return nil, { code = -32601, message = method .. " not supported by the server" }
  end
  local okc, res, err = pcall(vim.lsp.buf_request_sync, bufnr, method, params, timeout_ms or TIMEOUT)
  if not okc then
    return nil, "request failed (server gone?): " .. tostring(res)
  end
  if not res then
    return nil, err or "timeout"
  end
  for _, r in pairs(res) do
    if r.error then
      return nil, r.error
    end
    return r.result
  end
  return nil, "no answer"
end

--- The LSP position (in ENCODING) of the first occurrence of `needle`.
local function lsp_position(bufnr, needle)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local s = line:find(needle, 1, true)
    if s then
      return { line = i - 1, character = lsp_char(line, s - 1) }
    end
  end
  error("fixture text not found: " .. needle)
end

--- Whether the server announced a capability (features land progressively;
--- a missing one is reported as SKIP, never as a pass).
local function has_cap(client, name)
  local caps = client.server_capabilities or {}
  local v = caps[name]
  return v ~= nil and v ~= false
end

-- Run the checks on one fixture article.
local function run_fixture(f)
  local path = WS .. "/" .. f.file
  vim.cmd("edit " .. vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  local tag = f.file .. ": "

  check(tag .. "filetype " .. f.filetype, vim.bo[bufnr].filetype == f.filetype, vim.bo[bufnr].filetype)
  local attached = vim.wait(TIMEOUT, function()
    return client_of(bufnr) ~= nil
  end, 20)
  if not check(tag .. "plugin attached the factlens client", attached, "no factlens client on the buffer") then
    return
  end
  local client = client_of(bufnr)
  ENCODING = client.offset_encoding or "utf-16"
  check(tag .. "workspace root from factlens.toml", client.config.root_dir == WS, client.config.root_dir)

  -- 1. Diagnostics: right codes, exactly the right text.
  local expected = { { "unsourced-figure", f.figure } }
  if FEATURES.quotes then
    table.insert(expected, { "unattributed-quote", f.quote })
  end
  local t0 = vim.loop.hrtime()
  local got = vim.wait(TIMEOUT, function()
    return exactly(bufnr, expected, f.sourced)
  end, 20)
  check(tag .. "diagnostics with the right codes cover the right text", got,
    { expected = expected, got = describe(bufnr) })
  results[f.file .. " diagnostics ms"] = math.floor((vim.loop.hrtime() - t0) / 1e6)
  if not FEATURES.quotes then
    skip(tag .. "unattributed-quote on " .. f.quote, "quotation detection not available in this server (factlens annotate reports no quotation)")
  end
  -- sourced claims carry no unsourced-figure warning
  local wrongly = {}
  for _, t in ipairs(f.sourced or {}) do
    if find(bufnr, "unsourced-figure", t) then
      table.insert(wrongly, t)
    end
  end
  if FEATURES.attribution then
    check(tag .. "no unsourced-figure on the sourced claims", #wrongly == 0, { flagged = wrongly, got = describe(bufnr) })
  elseif f.sourced then
    skip(tag .. "no unsourced-figure on the sourced claims", "attribution not available in this server (factlens annotate reports no sourced figure)")
  end
  if not find(bufnr, "unsourced-figure", f.figure) then
    return
  end
  local target = find(bufnr, "unsourced-figure", f.figure)
  local lsp_diag = target.d
  check(tag .. "diagnostic carries a message naming the figure and severity warning",
    type(lsp_diag.message) == "string" and lsp_diag.message:find(f.figure, 1, true) ~= nil and lsp_diag.severity == 2,
    lsp_diag)
  -- what Neovim itself shows (vim.diagnostic, byte columns) agrees
  local shown = false
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    shown = shown or (d.lnum == target.lnum and d.col == target.col and d.source == "factlens")
  end
  check(tag .. "vim.diagnostic shows it at the same place", shown, vim.diagnostic.get(bufnr))
  local announced = (client.server_capabilities or {}).positionEncoding or "utf-16"
  if vim.fn.has("nvim-0.8") == 0 then
    check(tag .. "position encoding utf-16 (Neovim 0.7 counts UTF-16 only)",
      client.offset_encoding == "utf-16" and announced == "utf-16", { client = client.offset_encoding, server = announced })
  else
    check(tag .. "client and server agree on the position encoding (" .. tostring(announced) .. ")",
      client.offset_encoding == announced, { client = client.offset_encoding, server = announced })
  end

  -- 2. Hover: a file: link to the matching claim in the other article.
  step(tag .. "hover")
  local claim_pos = lsp_position(bufnr, f.claim)
  -- the workspace index builds in the background: ask again until the
  -- matching claim shows up (or the time limit)
  local link_pat = "file://[^%s%)%]>\"']*" .. vim.pesc(f.match_file)
  local hover, herr, htext
  local _, h_tries, h_ms = poll(TIMEOUT, 200, function(left)
    hover, herr = request(bufnr, "textDocument/hover", {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      position = claim_pos,
    }, left)
    htext = hover_text(hover)
    return herr ~= nil or not FEATURES.matching or htext:match(link_pat) ~= nil
  end)
  if not has_cap(client, "hoverProvider") or (type(herr) == "table" and herr.code == -32601) then
    skip(tag .. "hover links to the matching claim", "hover not available in this server")
  elseif not FEATURES.matching then
    check(tag .. "hover answers on the claim", htext:find("3.5", 1, true) ~= nil, { error = herr, hover = htext })
    skip(tag .. "hover links to the matching claim", "cross-article matching not available in this server (factlens matches finds no match)")
  else
    local link = htext:match(link_pat) ~= nil
    check(tag .. "hover shows a file: link to the matching claim in " .. f.match_file, link,
      { error = herr, hover = htext, requests = h_tries, ms = h_ms })
  end

  -- 3. References: the matching claim in the other article (extra).
  step(tag .. "references")
  local refs, rerr
  local _, r_tries, r_ms = poll(TIMEOUT, 200, function(left)
    refs, rerr = request(bufnr, "textDocument/references", {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      position = claim_pos,
      context = { includeDeclaration = false },
    }, left)
    return rerr ~= nil or not FEATURES.matching or (refs ~= nil and #refs > 0)
  end)
  if not has_cap(client, "referencesProvider") or (type(rerr) == "table" and rerr.code == -32601) then
    skip(tag .. "references list the matching claim", "references not available in this server")
  elseif not FEATURES.matching then
    skip(tag .. "references list the matching claim", "cross-article matching not available in this server (factlens matches finds no match)")
  else
    local hit = false
    for _, loc in ipairs(refs or {}) do
      hit = hit or (loc.uri or ""):sub(-#f.match_file) == f.match_file
    end
    check(tag .. "references list the matching claim in " .. f.match_file, hit, { error = rerr, refs = refs, requests = r_tries, ms = r_ms })
  end

  -- 4. Typing before a finding keeps the range on the same text:
  --    multibyte text at the start of the finding's line, and right
  --    before the finding.
  for _, ins in ipairs({ { where = "line start", text = "سلام 🙂 " }, { where = "just before the figure", text = "é🙂ب " } }) do
    local cur = find(bufnr, "unsourced-figure", f.figure)
    local before = pub_count(bufnr)
    local col = ins.where == "line start" and 0 or cur.col
    vim.api.nvim_buf_set_text(bufnr, cur.lnum, col, cur.lnum, col, { ins.text })
    local ok = vim.wait(TIMEOUT, function()
      local now = find(bufnr, "unsourced-figure", f.figure)
      return pub_count(bufnr) > before and now ~= nil and now.col == cur.col + #ins.text
    end, 20)
    check(tag .. "typing " .. ins.text .. " at " .. ins.where .. " keeps the diagnostic on " .. f.figure, ok,
      { got = describe(bufnr), line = vim.api.nvim_buf_get_lines(bufnr, cur.lnum, cur.lnum + 1, false)[1] })
    if not ok then
      return
    end
  end

  -- 5. Settings are forwarded: severity of unsourced-figure to error via
  --    set_settings (didChangeConfiguration + workspace/configuration), back.
  if f.settings_check then
    local factlens = require("factlens")
    for _, want in ipairs({ { "error", 1 }, { nil, 2 } }) do
      local before_n = pub_count(bufnr)
      factlens.set_settings(want[1] and { severity = { ["unsourced-figure"] = want[1] } } or {})
      local ok = vim.wait(TIMEOUT, function()
        local d = find(bufnr, "unsourced-figure", f.figure)
        return pub_count(bufnr) > before_n and d ~= nil and d.d.severity == want[2]
      end, 20)
      local d = find(bufnr, "unsourced-figure", f.figure)
      check(tag .. "settings forwarded: unsourced-figure severity " .. (want[1] or "default (warning)"), ok,
        { severity = d and d.d.severity })
    end
  end

  -- 6. Quick fix "Add source note": inserts the note, the warning goes.
  step(tag .. "quick fix")
  target = find(bufnr, "unsourced-figure", f.figure)
  lsp_diag = target.d
  local actions, aerr = request(bufnr, "textDocument/codeAction", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = lsp_diag.range,
    context = { diagnostics = { lsp_diag } },
  })
  local action
  local titles = {}
  for _, a in ipairs(actions or {}) do
    table.insert(titles, a.title)
    if not action and a.title:lower():find("source note", 1, true) then
      action = a
    end
  end
  if not has_cap(client, "codeActionProvider") or (type(aerr) == "table" and aerr.code == -32601) then
    skip(tag .. "quick fix Add source note", "code actions not available in this server")
    return
  end
  if not check(tag .. "code action 'Add source note' offered", action ~= nil, { error = aerr, titles = titles }) then
    return
  end
  check(tag .. "the action is a quickfix tied to the diagnostic",
    action.kind == "quickfix" and action.diagnostics ~= nil and #action.diagnostics >= 1,
    { kind = action.kind, diagnostics = action.diagnostics })
  if not action.edit and action.data then
    local resolved = request(bufnr, "codeAction/resolve", action)
    action = resolved or action
  end
  local before = pub_count(bufnr)
  if action.edit then
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  elseif action.command then
    local cmd = type(action.command) == "table" and action.command or action
    call(client, "request_sync", "workspace/executeCommand", { command = cmd.command, arguments = cmd.arguments }, TIMEOUT, bufnr)
  end
  local text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
  local inserted = f.note_check(text)
  check(tag .. "the quick fix inserted a source note", inserted, { text = text })
  local gone = vim.wait(TIMEOUT, function()
    return pub_count(bufnr) > before and find(bufnr, "unsourced-figure", f.figure) == nil
  end, 20)
  check(tag .. "the unsourced-figure warning on " .. f.figure .. " is gone after the fix", gone,
    { got = describe(bufnr) })
  if FEATURES.quotes then
    check(tag .. "the other warning stays", find(bufnr, "unattributed-quote", f.quote) ~= nil, { got = describe(bufnr) })
  end
end

local fixtures = {
  {
    file = "housing-draft.md",
    filetype = "markdown",
    figure = "$3.5 million",
    quote = "“Every family in this valley deserves a dry and safe place to live.”",
    claim = "$3.5 million", -- matches the sourced claim in the wire copy
    settings_check = true,
    match_file = "housing-wire.txt",
    note_check = function(text)
      local n = text:match("flood repairs on Tuesday%.%s*%[%^src%-(%d+)%]")
        or text:match("%[%^src%-(%d+)%]")
      return n ~= nil and text:find("\n%[%^src%-" .. n .. "%]: Source:") ~= nil
    end,
  },
  {
    file = "housing-wire.txt",
    filetype = "text",
    figure = "600 workers",
    quote = '"The river does not care about our budget or our patience."',
    sourced = { "$3.5 million" }, -- "..., the city treasurer told reporters."
    claim = "$3.5 million", -- matches the draft's claim
    match_file = "housing-draft.md",
    note_check = function(text)
      return text:find("600 workers%. ?%[Source: %]") ~= nil or text:find("600 workers %[Source: %]%.") ~= nil
    end,
  },
}

--- Which analysis features this server has, from its own CLI:
--- `factlens annotate` on the fixtures (features land progressively).
local function probe_features()
  for _, name in ipairs({ "housing-draft.md", "housing-wire.txt" }) do
    local out = vim.fn.system({ BIN, "annotate", WS .. "/" .. name, "--format", "json" })
    for line in out:gmatch("[^\n]+") do
      local ok, r = pcall(vim.fn.json_decode, line)
      if ok and type(r) == "table" then
        if r.kind == "quotation" or r.kind == "scare-quote" then
          FEATURES.quotes = true
        end
        if r.status == "sourced" or r.status == "vague" or r.status == "attributed" then
          FEATURES.attribution = true
        end
      end
    end
  end
  -- cross-article matching: `factlens matches` finds the shared claim
  local out = vim.fn.system({ BIN, "matches", WS .. "/housing-draft.md", "--workspace", WS, "--format", "json" })
  FEATURES.matching = out:find('"matches":%[{') ~= nil
  results.features = FEATURES
end

local function main()
  if os.getenv("FACTLENS_LSP_DEBUG") then
    vim.lsp.set_log_level("debug")
  end
  probe_features()
  vim.cmd("filetype on")
  vim.opt.runtimepath:prepend(PLUGIN)
  vim.opt.swapfile = false
  require("factlens").setup({ cmd = { BIN, "lsp" } })
  for _, f in ipairs(fixtures) do
    run_fixture(f)
  end
  local n = #require("factlens").clients()
  check("one factlens client serves both articles of the workspace root", n == 1, { clients = n })

  -- A missing binary: one clear notification saying how to install it.
  local notes = {}
  local orig = vim.notify
  vim.notify = function(msg, level)
    table.insert(notes, { msg = msg, level = level })
  end
  package.loaded["factlens"] = nil
  require("factlens").setup({ cmd = { WS .. "/no-such-factlens", "lsp" } })
  vim.cmd("enew")
  vim.bo.filetype = "markdown"
  vim.cmd("enew")
  vim.bo.filetype = "text"
  vim.wait(500, function()
    return false
  end, 50)
  vim.notify = orig
  check("missing binary: exactly one notification, with the install command",
    #notes == 1 and notes[1].msg:find("cargo install --path server", 1, true) ~= nil and notes[1].level == vim.log.levels.ERROR,
    notes)
end

vim.schedule(function()
  local ok, err = xpcall(main, debug.traceback)
  if not ok then
    check("test script ran without error", false, err)
  end
  finish()
end)
