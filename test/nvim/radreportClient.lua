-- Drives the radiology report language server from a headless Neovim (0.7+) through Neovim's own LSP client:
-- diagnostics, completion of section headings, a quick fix picked from vim.lsp.buf.code_action(), and the
-- "Generate conclusion" command whose text arrives through workspace/applyEdit.
--
--   RADREPORT_NVIM_CONFIG=config.json nvim -u NONE -i NONE --headless -c "luafile radreportClient.lua"
--
-- The config (JSON) names the server, the report to open, the settings and where to write the results (JSON).
-- Every step records what it saw; a failing step records its error and the script still writes its results and quits.

local config = vim.fn.json_decode(table.concat(vim.fn.readfile(os.getenv('RADREPORT_NVIM_CONFIG')), '\n'))
local results = { steps = {}, errors = {}, messages = {}, publishes = {}, nvim = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch) }
local started = vim.loop.hrtime()
local function elapsed_ms() return math.floor((vim.loop.hrtime() - started) / 1e6) end

local function write_results()
  results.elapsedMs = elapsed_ms()
  local file = assert(io.open(config.results, 'w'))
  file:write(vim.fn.json_encode(results))
  file:close()
end

local function buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') .. '\n'
end

local function codes_of(diagnostics)
  local codes = {}
  for _, d in ipairs(diagnostics) do table.insert(codes, d.code or vim.NIL) end
  table.sort(codes, function(a, b) return tostring(a) < tostring(b) end)
  return codes
end

-- Runs a step; an error is recorded (with the step's name) and later steps still run.
local function step(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if not ok then table.insert(results.errors, name .. ': ' .. tostring(err)) end
  return ok
end

local function wait_for(what, timeout_ms, predicate)
  if not vim.wait(timeout_ms, predicate, 20) then error('timed out after ' .. timeout_ms .. ' ms waiting for ' .. what, 2) end
end

vim.cmd('filetype on')
vim.cmd('edit ' .. vim.fn.fnameescape(config.report))
local bufnr = vim.api.nvim_get_current_buf()
results.filetype = vim.bo[bufnr].filetype

-- The raw publishDiagnostics (with their versions) are recorded, then handed to Neovim's own handler.
local default_handlers = vim.lsp.handlers
local client_id = vim.lsp.start_client({
  name = 'radreport',
  cmd = config.cmd,
  root_dir = config.root,
  settings = { radiologyReport = config.settings },
  init_options = { settings = config.settings },
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, params, ctx, handler_config)
      table.insert(results.publishes, { version = params.version or vim.NIL, codes = codes_of(params.diagnostics) })
      return default_handlers['textDocument/publishDiagnostics'](err, params, ctx, handler_config)
    end,
    ['window/showMessage'] = function(_, params)
      table.insert(results.messages, { type = params.type, message = params.message })
      return vim.NIL
    end,
  },
  on_exit = function(code, signal)
    results.serverExit = { code = code, signal = signal }
  end,
})
if not client_id then
  table.insert(results.errors, 'start_client failed for ' .. vim.inspect(config.cmd))
  write_results()
  vim.cmd('qa!')
end
vim.lsp.buf_attach_client(bufnr, client_id)
local client = vim.lsp.get_client_by_id(client_id)

-- The diagnostics published for the buffer's current version (Neovim's changedtick), as vim.diagnostic holds them.
local function current_diagnostics(what)
  wait_for(what, config.timeoutMs, function()
    local version = vim.lsp.util.buf_versions[bufnr]
    for _, p in ipairs(results.publishes) do
      if p.version == version then return true end
    end
    return false
  end)
  vim.wait(50) -- let Neovim's handler store them
  return vim.diagnostic.get(bufnr)
end

step('diagnostics', function()
  local diagnostics = current_diagnostics('the first diagnostics')
  local entries = {}
  for _, d in ipairs(diagnostics) do
    table.insert(entries, { code = d.code, line = d.lnum, col = d.col, severity = d.severity, message = d.message, source = d.source })
  end
  results.steps.diagnostics = { codes = codes_of(diagnostics), entries = entries }
end)

step('completion', function()
  -- On the empty last line, where a radiologist would type the next heading.
  local last = vim.api.nvim_buf_line_count(bufnr)
  vim.api.nvim_win_set_cursor(0, { last, 0 })
  local params = vim.lsp.util.make_position_params()
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', params, config.timeoutMs)
  local response = responses and responses[client_id]
  if not response then error('no completion response') end
  if response.err then error(vim.inspect(response.err)) end
  local items = response.result.items or response.result
  table.sort(items, function(a, b) return (a.sortText or a.label) < (b.sortText or b.label) end)
  local labels = {}
  for _, item in ipairs(items) do table.insert(labels, item.label) end
  results.steps.completion = { line = last - 1, labels = labels }
end)

step('codeAction', function()
  local target
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == 'missing-section' then target = d end
  end
  if not target then error('no missing-section diagnostic to fix') end
  vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col })
  -- The user picks the fix from the list Neovim offers (vim.ui.select is the picker).
  local offered
  vim.ui.select = function(items, opts, on_choice)
    offered = {}
    local chosen
    for _, item in ipairs(items) do
      local title = opts.format_item and opts.format_item(item) or item[2].title
      table.insert(offered, title)
      if title == config.quickFix and not chosen then chosen = item end
    end
    on_choice(chosen)
  end
  local version_before = vim.lsp.util.buf_versions[bufnr]
  vim.lsp.buf.code_action({ only = { 'quickfix' } })
  wait_for('the code action list', config.timeoutMs, function() return offered ~= nil end)
  wait_for('the quick fix edit', config.timeoutMs, function() return vim.lsp.util.buf_versions[bufnr] ~= version_before end)
  local diagnostics = current_diagnostics('diagnostics after the quick fix')
  results.steps.codeAction = { offered = offered, text = buffer_text(bufnr), codesAfter = codes_of(diagnostics) }
end)

step('generateConclusion', function()
  local done, response
  local t0 = vim.loop.hrtime()
  client.request('workspace/executeCommand', {
    command = 'radiologyReport.generateConclusion',
    arguments = { { uri = vim.uri_from_bufnr(bufnr) } },
  }, function(err, result)
    response = { err = err or vim.NIL, result = result or vim.NIL }
    done = true
  end, bufnr)
  wait_for('the generateConclusion command', config.generateTimeoutMs, function() return done end)
  local ms = math.floor((vim.loop.hrtime() - t0) / 1e6)
  local diagnostics = current_diagnostics('diagnostics after the generated conclusion')
  results.steps.generateConclusion = { response = response, ms = ms, text = buffer_text(bufnr), codesAfter = codes_of(diagnostics) }
end)

step('shutdown', function()
  client.stop()
  wait_for('the server to stop', config.timeoutMs, function() return client.is_stopped() end)
  wait_for('the server process to exit', config.timeoutMs, function() return results.serverExit ~= nil end)
end)

write_results()
vim.cmd('qa!')
