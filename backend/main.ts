// `npm run server`: the backend alone, configured from the environment (embedded database and simulated Twilio by default).
import path from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { openEmbeddedDatabase } from './db/embedded-database.js';
import type { SqlClient } from './db/sql-client.js';
import type { TwilioSimulator } from './sim/twilio-simulator.js';

async function main() {
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
  const embeddedDatabase = config.database === 'embedded' ? openEmbeddedDatabase(config.dataDir, { thread: config.embeddedDbThread, lock: { purpose: 'server', waitSeconds: config.dataDirLockWaitSeconds } }) : undefined;
  embeddedDatabase?.catch(() => undefined); // awaited (and reported) by startBackend
  const [{ startBackend }, { mountDemoPage }, { simulatedCallStatusSource }, { attachSimulator }, demoWebhooks] = await Promise.all([
    import('./server.js'),
    import('./demo/demo-routes.js'),
    import('./calls/simulated-call-status.js'),
    import('./sim/attach-simulator.js'),
    import('./demo/demo-webhooks.js'),
  ]);
  let sim: TwilioSimulator | undefined;
  // Known once the backend has started; the demo receiver, mounted before, reads them per request.
  const started: { db?: SqlClient; receiverUrl: string } = { receiverUrl: '' };
  const backend = await startBackend(config, {
    embeddedDatabase,
    extend: (deps, app) => {
      if (config.telephony === 'simulated') mountDemoPage(app);
      if (config.telephony === 'simulated' && config.database === 'embedded') {
        demoWebhooks.mountDemoWebhookReceiver(app, demoWebhooks.embeddedSecretOf(() => started.db), () => started.receiverUrl);
      }
      return attachSimulator(deps, app, { timeScale: config.simTimeScale, onCreated: (s) => (sim = s) });
    },
    // Simulated mode: the reconciler asks the simulator, as it would ask Twilio's REST API.
    callStatusSource: () => (sim ? simulatedCallStatusSource(sim) : undefined),
  });
  started.db = backend.db;
  const local = new URL(backend.url);
  if (local.hostname === '0.0.0.0' || local.hostname === '[::]') local.hostname = '127.0.0.1';
  started.receiverUrl = `${local.origin}${demoWebhooks.DEMO_RECEIVER_PATH}`;
  // The demo's first start: the Demo organization hands its calls to the demo receiver, with no set-up.
  if (backend.demoAgent && process.argv.includes('--demo') && config.telephony === 'simulated') {
    const demo = await backend.deps.store.findOrganization('Demo');
    if (demo) await demoWebhooks.addDemoWebhookEndpoint(backend.deps, demo.id, started.receiverUrl);
  }
  if (backend.demoAgent) {
    const { email, password, generated } = backend.demoAgent;
    process.stdout.write(`\nDemo agent created: ${email} / ${password}${generated ? '  (generated: note it now, it is not shown again; set DEMO_PASSWORD to choose one)' : ''}\n\n`);
  }
  process.stdout.write(`Backend ready at ${backend.url} (${config.telephony} Twilio, ${config.database} database)\n`);
  if (process.argv.includes('--demo')) printNextSteps(backend.url, backend.demoAgent === null, config.telephony === 'simulated');
  const stop = async () => {
    await backend.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
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
