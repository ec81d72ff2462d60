// The in-browser part of bench:detect: the built extension in Chromium on a 5,000-row contact table.
export async function chromiumBench(_repoRoot: string): Promise<void> {
  console.log('\n== Chromium: 5,000-row contact table ==\n(not written yet)');
}
