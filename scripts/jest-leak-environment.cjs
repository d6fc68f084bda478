// The jest environment of every project: node's, plus a leak check. A test file that leaves a server listening or an
// interval running used to keep jest alive after a failure until CI killed it; here each such handle is named (with
// the stack that opened it) as an error of the file that leaked it, then closed, so the run fails and still ends.
// scripts/run-jest.cjs adds --forceExit under CI as the backstop for any other handle.
const net = require('node:net');
const { createRequire } = require('node:module');

// jest-environment-node comes with jest (through jest-config); resolving it there keeps it the version jest runs.
const fromJest = createRequire(require.resolve('jest'));
const fromCore = createRequire(fromJest.resolve('@jest/core'));
const fromConfig = createRequire(fromCore.resolve('jest-config'));
const NodeEnvironment = require(fromConfig.resolve('jest-environment-node')).TestEnvironment;

const where = (stack) =>
  String(stack)
    .split('\n')
    .slice(2)
    .filter((l) => !l.includes('node_modules') && !l.includes('node:') && !l.includes('(<anonymous>)'))
    .slice(0, 4)
    .join('\n');

class LeakCheckingEnvironment extends NodeEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
    this.servers = new Map();
    this.intervals = new Map();
  }

  async setup() {
    await super.setup();
    const servers = this.servers;
    this.originalListen = net.Server.prototype.listen;
    const originalListen = this.originalListen;
    net.Server.prototype.listen = function listen(...args) {
      servers.set(this, new Error('listen').stack);
      return originalListen.apply(this, args);
    };
    const intervals = this.intervals;
    const { setInterval: set, clearInterval: clear } = this.global;
    this.global.setInterval = function setInterval(...args) {
      const handle = set(...args);
      intervals.set(handle, new Error('setInterval').stack);
      return handle;
    };
    this.global.clearInterval = function clearInterval(handle) {
      intervals.delete(handle);
      return clear(handle);
    };
  }

  async handleTestEvent(event, state) {
    if (event.name !== 'run_finish') return;
    const leaks = [];
    for (const [server, stack] of this.servers) {
      if (!server.listening) continue;
      const address = server.address();
      const shown = address && typeof address === 'object' ? `${address.address}:${address.port}` : String(address);
      leaks.push(`a server listening on ${shown}, opened at\n${where(stack)}`);
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve()));
    }
    for (const [handle, stack] of this.intervals) {
      if (!handle.hasRef?.()) continue;
      leaks.push(`an interval still running, set at\n${where(stack)}`);
      clearInterval(handle);
    }
    if (leaks.length === 0) return;
    const message =
      `LEAKED HANDLES: ${leaks.length} handle(s) still open after every test and hook of ${this.testPath} ended ` +
      `(they would keep jest from exiting). Close them in afterEach/afterAll or a finally block. They were closed now:\n- ${leaks.join('\n- ')}`;
    process.stderr.write(`\n${message}\n`);
    state.unhandledErrors.push(new Error(message));
  }

  async teardown() {
    if (this.originalListen) net.Server.prototype.listen = this.originalListen;
    this.servers.clear();
    this.intervals.clear();
    await super.teardown();
  }
}

module.exports = LeakCheckingEnvironment;
