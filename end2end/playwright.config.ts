import { defineConfig, devices } from "@playwright/test";
import * as path from "node:path";

// The server under test: the binary cargo-leptos built, on its own port, with a fresh
// SQLite database holding the demo data. scripts/test.sh sets KYNANGSO_BIN and
// LEPTOS_SITE_ROOT; the defaults fit `cargo leptos build --release` in this checkout.
const root = path.resolve(__dirname, "..");
const port = Number(process.env.E2E_PORT ?? 3107);
const bin = process.env.KYNANGSO_BIN ?? path.join(root, "target/release/kynangso");
const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.join(root, "target/site");
const dataDir = path.join(__dirname, ".data", String(process.pid));

export const DEMO_PASSWORD = "mật khẩu demo cho kiểm thử";

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    ...devices["Pixel 7"],
    viewport: { width: 390, height: 844 },
    locale: "vi-VN",
    timezoneId: "Asia/Ho_Chi_Minh",
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: `rm -rf "${dataDir}" && mkdir -p "${dataDir}" && "${bin}" serve`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DATABASE_URL: `sqlite://${dataDir}/e2e.db`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: siteRoot,
      KYNANGSO_DEMO: "always",
      KYNANGSO_DEMO_PASSWORD: DEMO_PASSWORD,
      RUST_LOG: "warn",
    },
  },
});
