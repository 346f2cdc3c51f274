-- Drives headless Neovim through a mindgap quiz asked with window/showMessageRequest;
-- tests/e2e/test_quiz_neovim.py runs it.
--
-- Neovim (0.7 and later) answers window/showMessageRequest with `vim.fn.inputlist`, which
-- waits for a person at the keyboard. Here `vim.fn.inputlist` is replaced, in this driver
-- only, by a stand-in developer who reads the question exactly as Neovim would show it and
-- picks the answer the scenario says is right. Everything else is the real editor: the
-- documented config (docs/editors/neovim.lua), its LSP client, its message request handler.

local harness = dofile(vim.fn.fnamemodify(os.getenv("MINDGAP_E2E_DRIVER"), ":h") .. "/neovim_harness.lua")
local scenario, wait_for = harness.scenario, harness.wait_for

local result = { asked = {}, steps = {}, log_path = require("vim.lsp.log").get_filename() }

-- The stand-in developer: `lines` is what Neovim's handler passes to inputlist, the message
-- first ("mindgap quiz 1/3: <question>"), then "N. <choice>" lines; the reply is a number.
vim.fn.inputlist = function(lines)
  local message = lines[1]
  local question = message:match("^mindgap quiz %d+/%d+: (.*)$") or message
  local wanted = scenario.answers[question]
  local picked = 0
  for index = 3, #lines do
    local number, title = lines[index]:match("^(%d+)%. (.*)$")
    if number ~= nil and title == wanted then
      picked = tonumber(number)
    end
  end
  table.insert(result.asked, { message = message, choices = #lines - 2, picked = picked })
  return picked
end

local function foreign_region(bufnr)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    if d.source == "mindgap" and (d.code or lsp.code) == "foreign-region" then
      return { message = d.message, data = lsp.data or vim.NIL, lnum = d.lnum, end_lnum = d.end_lnum }
    end
  end
  return nil
end

local function record(name, bufnr)
  table.insert(result.steps, { name = name, region = foreign_region(bufnr) or vim.NIL })
end

local bufnr = nil

local function run()
  vim.g.mindgap = { cmd = scenario.cmd, flags = { debounce_text_changes = 0 } }
  dofile(scenario.config)
  vim.cmd("edit " .. vim.fn.fnameescape(scenario.file))
  bufnr = vim.api.nvim_get_current_buf()
  local client = nil
  wait_for("the documented config to attach a running mindgap client", function()
    for _, found in pairs(vim.lsp.buf_get_clients(bufnr)) do
      if found.name == "mindgap" and found.initialized then
        client = found
        return true
      end
    end
    return false
  end)

  vim.api.nvim_buf_set_lines(bufnr, scenario.insert_at, scenario.insert_at, true, scenario.block)
  wait_for("the inserted code to be marked foreign", function()
    return foreign_region(bufnr) ~= nil
  end)
  record("inserted", bufnr)

  -- "mindgap: Quiz me on this code", as the code action would run it
  local region = foreign_region(bufnr)
  local reply = nil
  client.request("workspace/executeCommand", {
    command = "mindgap.quiz",
    arguments = { { uri = vim.uri_from_bufnr(bufnr), regionId = region.data.regionId } },
  }, function(err, answer)
    reply = { err = err or vim.NIL, answer = answer or vim.NIL }
  end, bufnr)
  wait_for("the quiz to finish", function()
    return reply ~= nil
  end)
  result.reply = reply
  wait_for("the region to be marked understood", function()
    local now = foreign_region(bufnr)
    return now ~= nil and now.message:find("understood", 1, true) ~= nil
      and now.message:find("not yet", 1, true) == nil
  end)
  record("answered", bufnr)
end

harness.run(result, run, function()
  if bufnr ~= nil then
    record("when it failed", bufnr)
  end
end)
