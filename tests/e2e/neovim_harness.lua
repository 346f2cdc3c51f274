-- What the Neovim drivers share: the scenario (JSON, path in $MINDGAP_E2E_SCENARIO), waiting
-- inside the editor, and running a driver's steps so that the result file is written and
-- Neovim quits whatever happens.

local harness = {}

local scenario_path = assert(os.getenv("MINDGAP_E2E_SCENARIO"), "MINDGAP_E2E_SCENARIO is not set")
harness.scenario = vim.fn.json_decode(table.concat(vim.fn.readfile(scenario_path), "\n"))

function harness.wait_for(what, condition)
  local timeout = harness.scenario.timeout_ms
  if not vim.wait(timeout, condition, 20) then
    error("timed out after " .. timeout .. " ms waiting for " .. what, 0)
  end
end

-- Runs `steps`; a failure goes into `result.error` (with what `on_failure` still records).
function harness.run(result, steps, on_failure)
  local ok, problem = xpcall(steps, debug.traceback)
  if not ok then
    result.error = problem
    pcall(on_failure)
  end
  vim.fn.writefile({ vim.fn.json_encode(result) }, harness.scenario.result)
  vim.cmd("qa!")
end

return harness
