import { test as base, expect, Page } from "@playwright/test";

// Every test fails on an uncaught page error or a console error (a hydration mismatch
// shows up as one).
export const test = base.extend<{ page: Page }>({
  page: async ({ page }, use) => {
    const problems: string[] = [];
    page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
    page.on("console", (msg) => {
      if (msg.type() === "error") problems.push(`console.error: ${msg.text()}`);
    });
    await use(page);
    expect(problems, "no errors in the page").toEqual([]);
  },
});

/** Waits until the wasm has hydrated the page (the app sets this marker in an effect). */
export async function waitForHydration(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

export { expect };
