export { SqlShell, type ShellOutput } from './sql-shell';
export { formatTable } from './table-format';
