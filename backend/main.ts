// `npm run server`: the backend alone, configured from the environment (embedded database and simulated Twilio by default).
import path from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { openEmbeddedDatabase } from './db/embedded-database.js';
import type { SqlClient } from './db/sql-client.js';

async function main() {
  const demo = process.argv.includes('--demo');
  // npm start is for trying it out: request logs would bury the sign-in details within a minute, so only warnings and
  // errors are logged unless LOG_LEVEL says otherwise.
  if (demo && process.env.LOG_LEVEL === undefined) process.env.LOG_LEVEL = 'warn';
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // The embedded database sets itself up in its own thread (about 2 s the first time) while the rest loads.
  const embeddedDatabase = config.database.kind === 'embedded' ? openEmbeddedDatabase(config.dataDir, { thread: config.embeddedDbThread, lock: { purpose: 'server', waitSeconds: config.dataDirLockWaitSeconds } }) : undefined;
  embeddedDatabase?.catch(() => undefined); // awaited (and reported) by startBackend
  const [{ startBackend }, { mountDemoPage }, { mountDemoIncomingCall }, demoWebhooks] = await Promise.all([
    import('./server.js'),
    import('./demo/demo-routes.js'),
    import('./demo/demo-incoming.js'),
    import('./demo/demo-webhooks.js'),
  ]);
  // Known once the backend has started; the demo receiver, mounted before, reads them per request.
  const started: { db?: SqlClient; receiverUrl: string } = { receiverUrl: '' };
  const backend = await startBackend(config, {
    embeddedDatabase,
    // Simulated mode: the demo page with its incoming-call button and its webhook receiver; Twilio mode: nothing extra.
    extend: (deps, app, telephony) => {
      if (!telephony.simulator) return;
      mountDemoPage(app);
      if (config.database.kind === 'embedded') {
        demoWebhooks.mountDemoWebhookReceiver(app, demoWebhooks.embeddedSecretOf(() => started.db), () => started.receiverUrl);
      }
      mountDemoIncomingCall(app, deps, telephony.simulator);
    },
  });
  started.db = backend.db;
  const local = new URL(backend.url);
  if (local.hostname === '0.0.0.0' || local.hostname === '[::]') local.hostname = '127.0.0.1';
  started.receiverUrl = `${local.origin}${demoWebhooks.DEMO_RECEIVER_PATH}`;
  // The demo's first start: the Demo organization hands its calls to the demo receiver, with no set-up.
  if (backend.demoAgent && demo && config.telephony.kind === 'simulated') {
    const organization = await backend.deps.store.findOrganization('Demo');
    if (organization) await demoWebhooks.addDemoWebhookEndpoint(backend.deps, organization.id, started.receiverUrl);
  }
  const banner = () => {
    process.stdout.write(`Backend ready at ${backend.url} (${config.telephony.kind} Twilio, ${config.database.kind} database)\n`);
    if (demo) printNextSteps(backend.url, backend.demoAgent === null, config.telephony.kind === 'simulated');
    // The sign-in details last, where they stay in sight.
    if (backend.demoAgent) {
      const { email, password, generated } = backend.demoAgent;
      process.stdout.write(`Sign in as: ${email} / ${password}${generated ? '  (generated on this first start and kept only in this process: note it now; set DEMO_PASSWORD to choose one)' : ''}\n`);
    }
    if (demo && process.stdin.isTTY) process.stdout.write('Press Enter to show these details again.\n');
  };
  banner();
  if (demo && process.stdin.isTTY) {
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      if (chunk.includes('\n')) banner();
    });
  }
  const stop = async () => {
    await backend.close();
    process.exit(0);
  };
  // A close that fails still ends the process, with a failing exit code.
  const stopOrFail = () => void stop().catch(() => process.exit(1));
  process.once('SIGINT', stopOrFail);
  process.once('SIGTERM', stopOrFail);
}

function printNextSteps(url: string, agentsExisted: boolean, simulated: boolean) {
  const extensionDir = path.resolve('dist/extension');
  process.stdout.write(
    [
      '',
      'Next:',
      `  1. Open chrome://extensions, switch on Developer mode, click "Load unpacked" and pick ${extensionDir}`,
      '  2. Click the extension\'s icon, allow the microphone on the page that opens, and sign in as demo@example.com' +
        (agentsExisted ? ' (the password was printed on the first start; reset it with npm run agent:add -- --email demo@example.com --password NEW while the server is stopped)' : ''),
      simulated ? `  3. Open ${url}/demo and hover a phone number: click "Call". Numbers ending 0000 are busy, 0001 ring out, 0002 fail, 0003 hang up after 5 s.` : '',
      simulated ? `  4. Open ${url}/demo/webhooks to watch each call handed to your CRM as signed webhooks (docs/connect-your-crm.md).` : '',
      '',
      'Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`The backend could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
