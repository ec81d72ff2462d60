// `npm run server`: the backend alone, configured from the environment (embedded database and simulated Twilio by default).
import { ConfigError, loadConfig } from './config.js';
import { startBackend } from './server.js';
import { attachSimulator } from './sim/attach-simulator.js';

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
  const backend = await startBackend(config, { extend: (deps, app) => attachSimulator(deps, app, { timeScale: config.simTimeScale }) });
  if (backend.demoAgent) {
    const { email, password, generated } = backend.demoAgent;
    process.stdout.write(`\nDemo agent created: ${email} / ${password}${generated ? '  (generated: note it now, it is not shown again; set DEMO_PASSWORD to choose one)' : ''}\n\n`);
  }
  process.stdout.write(`Backend ready at ${backend.url} (${config.telephony} Twilio, ${config.database} database)\n`);
  const stop = async () => {
    await backend.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`The backend could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
