// Headless Debian Chromium through playwright-core, with the flags the tests
// need on a CI machine (no sandbox, no GPU, nothing fetched in the background).
// CHROMIUM_PATH overrides /usr/bin/chromium.

import { chromium } from 'playwright-core';

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-quic', '--disable-sync', '--disable-dev-shm-usage'],
  });
}
