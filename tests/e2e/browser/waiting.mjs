// What the browser drivers (tests/e2e/vscode, tests/e2e/jupyterlab) share: waiting for what
// the page shows, polling until a check answers or the step's time runs out.
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function until(what, check, timeout) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last;
    await sleep(150);
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
}
