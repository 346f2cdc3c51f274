-- mindgap in Neovim (0.7 or newer), with the built-in LSP client and no plugins.
--
-- Put this file somewhere and load it from your init.lua:
--
--     dofile(vim.fn.expand("~/.config/nvim/mindgap.lua"))
--
-- or paste it into init.lua. It starts one `mindgap serve` per repository and attaches it to
-- Python, JavaScript, TypeScript, Go, Rust and Java buffers. Optional settings, set before
-- loading (every key may be left out):
--
--     vim.g.mindgap = {
--       cmd = { "mindgap", "serve" },            -- or { "/path/to/python", "-m", "mindgap", "serve" }
--       flags = { debounce_text_changes = 150 }, -- milliseconds; 0 sends each change at once
--       init_options = { settings = {} },        -- editor settings, as in [tool.mindgap]
--     }
--
-- Foreign regions then show as Information diagnostics from source "mindgap"
-- (`:lua vim.diagnostic.setloclist()` lists them).
--
-- The file returns a table: `start(bufnr)` attaches mindgap to a buffer by hand, and
-- `clients` maps each repository root to its client id.

local mindgap = { clients = {} }

local options = vim.g.mindgap or {}

mindgap.filetypes = options.filetypes
  or {
    "python",
    "javascript",
    "javascriptreact",
    "typescript",
    "typescriptreact",
    "go",
    "rust",
    "java",
  }

-- The repository holding `path` (a .git directory, or a .git file in a worktree), else the
-- file's own directory. vim.fs does not exist before Neovim 0.8, hence finddir/findfile.
local function root_of(path)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  local found = vim.fn.finddir(".git", dir .. ";")
  if found == "" then
    found = vim.fn.findfile(".git", dir .. ";")
  end
  if found == "" then
    return dir
  end
  found = vim.fn.fnamemodify(found, ":p"):gsub("/+$", "")
  return vim.fn.fnamemodify(found, ":h")
end

local function running(client_id)
  local client = client_id and vim.lsp.get_client_by_id(client_id)
  return client ~= nil and not client.is_stopped()
end

local function client_config(root)
  return {
    name = "mindgap",
    cmd = options.cmd or { "mindgap", "serve" },
    root_dir = root,
    init_options = options.init_options,
    flags = options.flags or { debounce_text_changes = 150 },
  }
end

function mindgap.start(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == "" or vim.bo[bufnr].buftype ~= "" then
    return nil -- not a file on disk: nothing for mindgap to track
  end
  local root = root_of(path)
  local config = client_config(root)
  local client_id
  if vim.lsp.start then
    -- Neovim 0.8+: reuses the client with this name and root (start_client is deprecated)
    client_id = vim.lsp.start(config, { bufnr = bufnr })
  else
    -- Neovim 0.7: one client per root, kept here
    client_id = mindgap.clients[root]
    if not running(client_id) then
      config.on_exit = function()
        vim.schedule(function() -- on_exit may run in a libuv callback
          if mindgap.clients[root] == client_id then
            mindgap.clients[root] = nil
          end
        end)
      end
      client_id = vim.lsp.start_client(config)
    end
    if client_id then
      vim.lsp.buf_attach_client(bufnr, client_id)
    end
  end
  if not client_id then
    vim.notify("mindgap: could not start " .. table.concat(config.cmd, " "), vim.log.levels.ERROR)
    return nil
  end
  mindgap.clients[root] = client_id
  return client_id
end

vim.api.nvim_create_autocmd("FileType", {
  group = vim.api.nvim_create_augroup("mindgap", { clear = true }),
  pattern = mindgap.filetypes,
  callback = function(event)
    mindgap.start(event.buf)
  end,
  desc = "attach the mindgap language server",
})

return mindgap
