export { SqlShell, type ShellOutput, type SqlShellOptions, type Confirm, type RunOutcome } from './sql-shell';
export { runRepl, type ReplOptions } from './repl';
export { formatTable, formatExpanded } from './table-format';
export { parseCustomAttributes, customAttributesEntity, type CustomAttributeColumn } from './custom-attributes';
export { complete, type Catalog } from './completion';
export { recoverCommand, type RecoverAction } from './recover-command';
