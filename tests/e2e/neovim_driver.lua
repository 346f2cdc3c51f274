-- Drives headless Neovim as a real mindgap LSP client; tests/e2e/test_neovim.py runs it.
--
-- It reads a scenario (JSON, path in $MINDGAP_E2E_SCENARIO), loads the documented user
-- config docs/editors/neovim.lua, opens the file so the FileType autocmd attaches mindgap,
-- inserts a block in one change, then types a line inside it, and after each step waits until
-- the server has published diagnostics for the buffer's current version. Everything it sees
-- goes to the result file as JSON; then it quits, whatever happened.

local harness = dofile(vim.fn.fnamemodify(os.getenv("MINDGAP_E2E_DRIVER"), ":h") .. "/neovim_harness.lua")
local scenario, wait_for = harness.scenario, harness.wait_for

-- (written for Neovim 0.7, the oldest supported; also runs on newer ones without warnings)
local result = { steps = {}, published = {}, log_path = require("vim.lsp.log").get_filename() }

-- Every publishDiagnostics the client receives, with the document version it is for.
local last_published_version = {}
local publish_diagnostics = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, params, ctx, config)
  table.insert(result.published, {
    uri = params.uri,
    version = params.version or vim.NIL,
    count = #params.diagnostics,
  })
  last_published_version[params.uri] = params.version
  return publish_diagnostics(err, params, ctx, config)
end

local function mindgap_diagnostics(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == "mindgap" then
      local lsp = d.user_data and d.user_data.lsp or {}
      table.insert(found, {
        lnum = d.lnum,
        col = d.col,
        end_lnum = d.end_lnum,
        end_col = d.end_col,
        severity = vim.diagnostic.severity[d.severity],
        message = d.message,
        source = d.source,
        code = d.code or lsp.code or vim.NIL,
        data = lsp.data or vim.NIL,
      })
    end
  end
  table.sort(found, function(a, b)
    return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
  end)
  return found
end

-- The server has handled every change sent so far: it publishes after each one, tagged with
-- the document version (didChange goes out at once: debounce_text_changes = 0).
local function server_caught_up(bufnr)
  local uri = vim.uri_from_bufnr(bufnr)
  return last_published_version[uri] ~= nil and last_published_version[uri] == vim.lsp.util.buf_versions[bufnr]
end

local function record(name, bufnr)
  table.insert(result.steps, {
    name = name,
    version = vim.lsp.util.buf_versions[bufnr],
    lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, true),
    diagnostics = mindgap_diagnostics(bufnr),
  })
end

local function type_line(bufnr, typed)
  if typed.how == "set_lines" then
    -- one short line, as one change: what typing a line and pressing Enter amounts to
    vim.api.nvim_buf_set_lines(bufnr, typed.line, typed.line, true, { typed.text })
  elseif typed.how == "keys" then
    -- real insert-mode keystrokes: "o" opens a line below (auto-indented), then one change
    -- per typed character
    vim.api.nvim_win_set_cursor(0, { typed.after_line + 1, 0 })
    local keys = vim.api.nvim_replace_termcodes("o" .. typed.text .. "<Esc>", true, false, true)
    vim.api.nvim_feedkeys(keys, "xt", false)
  else
    error("unknown way of typing: " .. tostring(typed.how), 0)
  end
end

local bufnr = nil

local function run()
  vim.g.mindgap = { cmd = scenario.cmd, flags = { debounce_text_changes = 0 } }
  local config = dofile(scenario.config)

  vim.cmd("edit " .. vim.fn.fnameescape(scenario.file))
  bufnr = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[bufnr].filetype

  wait_for("the documented config to attach a running mindgap client", function()
    local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr }) or vim.lsp.buf_get_clients(bufnr)
    for _, client in pairs(clients) do
      if client.name == "mindgap" and client.initialized then
        return true
      end
    end
    return false
  end)
  result.clients = vim.tbl_count(config.clients)
  wait_for("diagnostics after didOpen", function()
    return server_caught_up(bufnr)
  end)
  record("opened", bufnr)

  vim.api.nvim_buf_set_lines(bufnr, scenario.insert_at, scenario.insert_at, true, scenario.block)
  wait_for("a mindgap diagnostic for the inserted block", function()
    return server_caught_up(bufnr) and #mindgap_diagnostics(bufnr) > 0
  end)
  record("inserted", bufnr)

  -- undo takes the foreign block out, redo brings it back: still foreign, not the developer's
  for _, command in ipairs({ "undo", "redo" }) do
    local version = vim.lsp.util.buf_versions[bufnr]
    vim.cmd(command)
    wait_for("the server to see " .. command, function()
      return vim.lsp.util.buf_versions[bufnr] ~= version and server_caught_up(bufnr)
    end)
    record(command, bufnr)
  end

  local before = vim.fn.json_encode(mindgap_diagnostics(bufnr))
  type_line(bufnr, scenario.typed)
  wait_for("the diagnostics to change after typing", function()
    return server_caught_up(bufnr) and vim.fn.json_encode(mindgap_diagnostics(bufnr)) ~= before
  end)
  record("typed", bufnr)
end

harness.run(result, run, function()
  if bufnr ~= nil then
    record("when it failed", bufnr)
  end
end)
