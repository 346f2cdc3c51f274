-- Drives headless Neovim while a coding agent edits the open file on disk and its hook
-- (`mindgap agent record`) records the edit; tests/e2e/test_agents_neovim.py runs it.
--
-- The scenario gives the agent's new file content, the hook's payload and command. After the
-- hook has run, `:checktime` lets Neovim reload the changed file (as it does when focus comes
-- back), and the driver waits - at most `agent_timeout_ms` - for the diagnostic that names
-- the agent.

local harness = dofile(vim.fn.fnamemodify(os.getenv("MINDGAP_E2E_DRIVER"), ":h") .. "/neovim_harness.lua")
local scenario, wait_for = harness.scenario, harness.wait_for

local result = { steps = {}, log_path = require("vim.lsp.log").get_filename() }

local function mindgap_diagnostics(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == "mindgap" then
      local lsp = d.user_data and d.user_data.lsp or {}
      table.insert(found, {
        lnum = d.lnum,
        end_lnum = d.end_lnum,
        message = d.message,
        code = d.code or lsp.code or vim.NIL,
      })
    end
  end
  table.sort(found, function(a, b)
    return a.lnum < b.lnum
  end)
  return found
end

local function names_the_agent(bufnr)
  for _, d in ipairs(mindgap_diagnostics(bufnr)) do
    if d.message:find(scenario.agent_name, 1, true) then
      return true
    end
  end
  return false
end

local function record(name, bufnr)
  table.insert(result.steps, {
    name = name,
    lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, true),
    diagnostics = mindgap_diagnostics(bufnr),
  })
end

local bufnr = nil

local function run()
  vim.g.mindgap = { cmd = scenario.cmd, flags = { debounce_text_changes = 0 } }
  dofile(scenario.config)
  vim.o.autoread = true

  vim.cmd("edit " .. vim.fn.fnameescape(scenario.file))
  bufnr = vim.api.nvim_get_current_buf()
  wait_for("the documented config to attach a running mindgap client", function()
    local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr }) or vim.lsp.buf_get_clients(bufnr)
    for _, client in pairs(clients) do
      if client.name == "mindgap" and client.initialized then
        return true
      end
    end
    return false
  end)
  vim.wait(500) -- the first diagnostics (none: the file is the developer's)
  record("opened", bufnr)

  -- the agent writes the file, then its hook runs
  vim.fn.writefile(scenario.new_lines, scenario.file)
  local output = vim.fn.system(scenario.hook_cmd, scenario.payload)
  result.hook_exit = vim.v.shell_error
  result.hook_output = output
  local started = vim.loop.hrtime()
  vim.cmd("checktime")
  local ok = vim.wait(scenario.agent_timeout_ms, function()
    return names_the_agent(bufnr)
  end, 20)
  result.waited_ms = (vim.loop.hrtime() - started) / 1e6
  result.shown_in_time = ok
  if not ok then
    wait_for("a diagnostic naming the agent (late)", function()
      return names_the_agent(bufnr)
    end)
  end
  record("after the agent", bufnr)
end

harness.run(result, run, function()
  if bufnr ~= nil then
    record("when it failed", bufnr)
  end
end)
