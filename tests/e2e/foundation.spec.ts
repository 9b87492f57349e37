// Browser journey on the built app (Debian Chromium via playwright-core):
// sign up → create organisation → add a domain, an email pattern and a known name → see them
// listed → invite a second user who joins as analyst and cannot open Settings.
// Screenshots of each page go to test-results/screenshots/foundation/.
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startApp, type AppServer } from "../support/app-server";
import { launchContext } from "../support/browser";
import { TEST_PASSWORD, uniqueEmail } from "../support/http-session";

const SHOTS = path.join(ROOT, "test-results", "screenshots", "foundation");

async function shot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

describe("foundation journey in a real browser", () => {
  let app: AppServer;
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    for (const c of closers) await c();
    await app?.stop();
  });

  it("admin sets up the organisation; an invited analyst joins and cannot open Settings", async () => {
    const admin = await launchContext();
    closers.push(admin.close);
    const page = await admin.context.newPage();
    const adminEmail = uniqueEmail("admin");

    // Sign up
    await page.goto(`${app.baseUrl}/`);
    await page.waitForURL(/\/signin/);
    await shot(page, "01-signin");
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL(/\/signup/);
    await page.getByLabel(/^Name/).fill("Ada Admin");
    await page.getByLabel("Email", { exact: true }).fill(adminEmail);
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => page.getByText("Use at least 12 characters").count()).toBe(1);
    await shot(page, "02-signup-password-error");
    await page.getByLabel("Password", { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();

    // Create the organisation
    await page.waitForURL(/\/orgs\/new/);
    await shot(page, "03-create-organisation");
    await page.getByLabel("Organisation name").fill("Acme Rockets");
    await page.getByRole("button", { name: "Create organisation" }).click();
    await page.waitForURL(/\/orgs\/acme-rockets$/);
    // The empty overview tells a new organisation what to do next (section #next-steps).
    await expect.poll(() => page.locator("#next-steps").count()).toBe(1);
    await shot(page, "04-overview-empty");

    // Register identity
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    await page.waitForURL(/\/settings$/);
    const section = (kind: string) => page.locator(`section[data-kind="${kind}"]`);
    async function addItem(kind: string, value: string, category?: string) {
      const s = section(kind);
      await s.locator('input[name="value"]').fill(value);
      if (category) await s.locator('select[name="category"]').selectOption(category);
      await s.getByRole("button", { name: "Add" }).click();
    }
    await addItem("domain", "not a domain");
    await expect.poll(() => section("domain").locator(".field-error").textContent()).toContain("not a valid domain");
    await shot(page, "05-identity-validation-error");
    await addItem("domain", "https://www.Acme-Rockets.com/");
    await expect.poll(() => section("domain").locator(".item-list").textContent()).toContain("acme-rockets.com");
    await addItem("email_pattern", "*@acme-rockets.com");
    await expect.poll(() => section("email_pattern").locator(".item-list").textContent()).toContain("*@acme-rockets.com");
    await addItem("known_name", "Acme Rockets", "brand");
    await expect.poll(() => section("known_name").locator(".item-list").textContent()).toContain("Acme Rockets");
    await addItem("known_name", "api", "product");
    await expect.poll(() => section("known_name").getByRole("status").textContent()).toContain("generic");

    // Listed after a full reload too (server-rendered from the database).
    await page.reload();
    await expect.poll(() => section("domain").locator(".item-list li").count()).toBe(1);
    expect(await section("email_pattern").locator(".item-list").textContent()).toContain("*@acme-rockets.com");
    expect(await section("known_name").locator(".item-list").textContent()).toContain("brand");
    await shot(page, "06-identity-listed");

    // Invite an analyst
    await page.getByRole("link", { name: "Members" }).click();
    await page.waitForURL(/\/settings\/members$/);
    await page.locator('form select[name="role"]').selectOption("analyst");
    await page.getByRole("button", { name: "Create invite link" }).click();
    const linkInput = page.getByTestId("invite-link");
    await expect.poll(() => linkInput.count()).toBe(1);
    const inviteUrl = await linkInput.inputValue();
    expect(inviteUrl).toMatch(/\/invite\/[A-Za-z0-9_-]{40,}$/);
    // The invite list refreshes (TanStack Query invalidation) and shows the pending invite.
    await expect.poll(() => page.locator("td", { hasText: "anyone with the link" }).count()).toBe(1);
    await shot(page, "07-members-invite-link");

    // Second user joins through the link
    const analyst = await launchContext();
    closers.push(analyst.close);
    const p2 = await analyst.context.newPage();
    await p2.goto(inviteUrl);
    await expect.poll(() => p2.getByRole("heading", { name: "Join Acme Rockets" }).count()).toBe(1);
    await shot(p2, "08-invite-landing");
    await p2.getByRole("link", { name: "Create an account to join" }).click();
    await p2.waitForURL(/\/signup/);
    await p2.getByLabel("Email", { exact: true }).fill(uniqueEmail("analyst"));
    await p2.getByLabel("Password", { exact: true }).fill(TEST_PASSWORD);
    await p2.getByRole("button", { name: "Create account" }).click();
    await p2.waitForURL(/\/invite\//);
    await p2.getByRole("button", { name: "Join organisation" }).click();
    await p2.waitForURL(/\/orgs\/acme-rockets$/);
    await expect.poll(() => p2.getByText("Role:").textContent()).toContain("analyst");
    const nav = p2.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link", { name: "Accounts" }).count()).toBe(1);
    expect(await nav.getByRole("link", { name: "Settings" }).count()).toBe(0);
    await expect.poll(() => p2.getByRole("heading", { name: "Overview", level: 1 }).count()).toBe(1);
    await shot(p2, "09-analyst-overview");
    await p2.goto(`${app.baseUrl}/orgs/acme-rockets/settings`);
    await expect.poll(() => p2.getByRole("heading", { name: "Not allowed" }).count()).toBe(1);
    expect(await p2.getByText("acme-rockets.com").count()).toBe(0);
    await shot(p2, "10-analyst-settings-not-allowed");
    await p2.goto(`${app.baseUrl}/orgs/acme-rockets/settings/members`);
    await expect.poll(() => p2.getByRole("heading", { name: "Not allowed" }).count()).toBe(1);

    // The admin sees the join in the member list and the audit log.
    await page.reload();
    await expect.poll(() => page.locator("tr[data-member]").count()).toBe(2);
    await page.getByRole("link", { name: "Audit log" }).click();
    await page.waitForURL(/\/settings\/audit$/);
    const auditText = await page.locator("table").textContent();
    for (const a of ["org.create", "identity.add", "invite.create", "member.join"]) expect(auditText).toContain(a);
    await shot(page, "11-audit-log");
  });
});
