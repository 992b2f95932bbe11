// ui.mjs drives the Microsoft 365 Agents Playground's web UI in headless
// Debian Chromium (playwright-core): it types messages to attestbot, waits
// for each Adaptive Card to render, screenshots the cards, and clicks an
// Action.Execute button to check that the card is replaced in place.
//
// Environment: PG_URL (the Playground, e.g. http://127.0.0.1:56150),
// SCREENS (directory for the PNGs), CHROMIUM (default /usr/bin/chromium).
// Exits non-zero on the first failed step.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const PG_URL = (process.env.PG_URL || "").replace(/\/+$/, "");
const SCREENS = process.env.SCREENS || path.join(os.tmpdir(), "attestbot-screens");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const STEP_MS = 30000;

if (!PG_URL) {
  console.error("ui: PG_URL is not set");
  process.exit(2);
}
fs.mkdirSync(SCREENS, { recursive: true });

// UI_LOCALE (e2e/inner.sh E2E_LOCALES) runs the steps of another language
// against a bot started with ATTESTBOT_LOCALE; its screenshots are named
// <locale>-NN-….png beside the English ones.
const LOCALE = process.env.UI_LOCALE || "en-US";

// The messages typed, the text that identifies the reply card, and the
// screenshot name. The texts are the records' and the cards' own words.
const stepsEnglish = [
  { say: "help", want: "What you can ask", shot: "01-help" },
  { say: "plumm", want: "Compliance claims", also: "Plumm Health LTD", shot: "02-summary-plumm" },
  { say: "show plumm security", want: "Security · Plumm Health LTD", shot: "03-section-security-plumm" },
  { say: "plumm permissions", want: "Microsoft Graph permissions · Plumm Health LTD", shot: "04-permissions-plumm" },
  { say: "compare plumm and saberr", want: "Compare Plumm · Saberr", shot: "05-compare-plumm-saberr" },
  { say: "apps with hipaa and iso 27001", want: "Search: apps with hipaa and iso 27001", shot: "06-search-hipaa-iso27001" },
];

// The same steps in the languages screenshots are taken in: the
// questions as admins write them, the cards' words from l10n/locales.
const localized = {
  "fr-FR": {
    welcome: "Bienvenue dans attestbot", privacy: "Confidentialité", privacyCard: "Confidentialité · Plumm Health LTD",
    steps: [
      { say: "aide", want: "Ce que vous pouvez demander", shot: "01-help" },
      { say: "plumm", want: "Déclarations de conformité", also: "Plumm Health LTD", shot: "02-summary-plumm" },
      { say: "afficher plumm sécurité", want: "Sécurité · Plumm Health LTD", shot: "03-section-security-plumm" },
      { say: "autorisations de plumm", want: "Autorisations Microsoft Graph · Plumm Health LTD", shot: "04-permissions-plumm" },
      { say: "comparer plumm et saberr", want: "Comparaison : Plumm · Saberr", shot: "05-compare-plumm-saberr" },
      { say: "applications conformes HIPAA et ISO 27001", want: "Recherche : applications conformes HIPAA et ISO 27001", shot: "06-search-hipaa-iso27001" },
    ],
  },
  "de-DE": {
    welcome: "Willkommen bei attestbot", privacy: "Datenschutz", privacyCard: "Datenschutz · Plumm Health LTD",
    steps: [
      { say: "Hilfe", want: "Was Sie fragen können", shot: "01-help" },
      { say: "plumm", want: "Compliance-Angaben", also: "Plumm Health LTD", shot: "02-summary-plumm" },
      { say: "zeige plumm sicherheit", want: "Sicherheit · Plumm Health LTD", shot: "03-section-security-plumm" },
      { say: "Berechtigungen von plumm", want: "Microsoft Graph-Berechtigungen · Plumm Health LTD", shot: "04-permissions-plumm" },
      { say: "vergleiche plumm und saberr", want: "Vergleich: Plumm · Saberr", shot: "05-compare-plumm-saberr" },
      { say: "Apps mit HIPAA und ISO 27001", want: "Suche: Apps mit HIPAA und ISO 27001", shot: "06-search-hipaa-iso27001" },
    ],
  },
  "ja-JP": {
    welcome: "attestbot へようこそ", privacy: "プライバシー", privacyCard: "プライバシー · Plumm Health LTD",
    steps: [
      { say: "ヘルプ", want: "質問できること", shot: "01-help" },
      { say: "plumm", want: "コンプライアンスの表明", also: "Plumm Health LTD", shot: "02-summary-plumm" },
      { say: "plummのセキュリティ", want: "セキュリティ · Plumm Health LTD", shot: "03-section-security-plumm" },
      { say: "plummのアクセス許可", want: "Microsoft Graph のアクセス許可 · Plumm Health LTD", shot: "04-permissions-plumm" },
      { say: "plummとsaberrを比較", want: "比較: Plumm · Saberr", shot: "05-compare-plumm-saberr" },
      { say: "HIPAAとISO 27001に準拠したアプリ", want: "検索:", also: "個のアプリが一致", shot: "06-search-hipaa-iso27001" },
    ],
  },
};
const english = { welcome: "Welcome to attestbot", privacy: "Privacy", privacyCard: "Privacy · Plumm Health LTD", steps: stepsEnglish };
const lang = LOCALE === "en-US" ? english : localized[LOCALE];
if (!lang) {
  console.error(`ui: no steps for UI_LOCALE=${LOCALE}`);
  process.exit(2);
}
const steps = lang.steps;
const shotName = (name) => (LOCALE === "en-US" ? name : `${LOCALE}-${name}`);

const t0 = Date.now();
const since = (t) => `${((Date.now() - t) / 1000).toFixed(2)} s`;
const log = (...a) => console.log("ui:", ...a);

const profile = fs.mkdtempSync(path.join(os.tmpdir(), "pg-chrome-"));
let ctx;
let failed = false;
try {
  ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 1000 },
    deviceScaleFactor: 1,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--disable-dev-shm-usage",
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    ],
  });
  let blocked = 0;
  // Only the Playground itself: the UI's CDN fonts and worklet are blocked.
  await ctx.route(/^(https?|wss?):\/\/(?!(127\.0\.0\.1|localhost)[:/])/, (r) => { blocked++; return r.abort(); });
  log(`browser launched in ${since(t0)}`);

  const page = ctx.pages()[0] || (await ctx.newPage());
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const tPage = Date.now();
  await page.goto(PG_URL, { waitUntil: "domcontentloaded" });
  log(`page loaded in ${since(tPage)}`);
  const box = page.locator('[contenteditable="true"]').first();
  await box.waitFor({ timeout: STEP_MS });
  log(`send box shown in ${since(tPage)}`);
  const cards = page.locator(".ac-adaptiveCard");
  // A page load installs the app: the welcome card arrives first.
  if (LOCALE === "en-US") {
    await cards.filter({ hasText: lang.welcome }).first().waitFor({ timeout: STEP_MS });
    log(`page ready with the welcome card in ${since(tPage)}`);
  } else {
    // A later page load of the same conversation may bring no new welcome.
    const w = await cards.filter({ hasText: lang.welcome }).last().waitFor({ timeout: 5000 }).then(() => true, () => false);
    log(`page ready in ${since(tPage)} (${w ? "welcome card in " + LOCALE : "no new welcome card"})`);
  }

  let summaryIndex = -1;
  for (const s of steps) {
    const t = Date.now();
    const before = await cards.count();
    await box.click();
    await page.keyboard.insertText(s.say); // one input event, not one per key
    await page.keyboard.press("Enter");
    let card = cards.filter({ hasText: s.want });
    if (s.also) card = card.filter({ hasText: s.also });
    card = card.last();
    await card.waitFor({ timeout: STEP_MS });
    await page.waitForFunction((n) => document.querySelectorAll(".ac-adaptiveCard").length > n, before, { timeout: STEP_MS });
    if (s.shot === "02-summary-plumm") summaryIndex = (await cards.count()) - 1;
    const rendered = since(t);
    await shoot(page, card, shotName(s.shot));
    log(`"${s.say}" -> card "${s.want}" in ${rendered} (screenshot ${since(t)})`);
  }

  // Action.Execute: a section button on the summary replaces the card.
  {
    const t = Date.now();
    if (summaryIndex < 0) throw new Error("no summary card index");
    const summary = cards.nth(summaryIndex);
    const count = await cards.count();
    await summary.scrollIntoViewIfNeeded();
    await summary.getByRole("button", { name: lang.privacy, exact: true }).click();
    await page.waitForFunction(
      ([i, want]) => (document.querySelectorAll(".ac-adaptiveCard")[i]?.innerText || "").includes(want),
      [summaryIndex, lang.privacyCard], { timeout: STEP_MS });
    const after = await cards.count();
    if (after !== count) throw new Error(`Action.Execute added cards (${count} -> ${after}) instead of replacing the summary`);
    await shoot(page, cards.nth(summaryIndex), shotName("07-execute-privacy-in-place"));
    log(`Action.Execute "${lang.privacy}" replaced the summary in place in ${since(t)}`);
  }

  await page.screenshot({ path: path.join(SCREENS, shotName("99-page") + ".png") });
  log(`blocked external requests: ${blocked}`);
  if (errors.length) log(`page errors (not fatal): ${errors.slice(0, 5).join(" | ")}`);
} catch (e) {
  failed = true;
  console.error("ui: FAIL:", e && e.message ? e.message : e);
  try {
    const p = ctx && ctx.pages()[0];
    if (p) await p.screenshot({ path: path.join(SCREENS, "failure.png"), fullPage: true });
  } catch { /* best effort */ }
} finally {
  if (ctx) await ctx.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
log(`${failed ? "FAIL" : "ok"} in ${since(t0)}`);
process.exit(failed ? 1 : 0);

// shoot saves a screenshot of a whole card. For a card taller than the
// window the viewport is grown to fit it first (the transcript scrolls, so
// an element shot alone would be cut), then restored.
async function shoot(page, card, name) {
  const vp = page.viewportSize();
  const h = Math.ceil((await card.boundingBox())?.height || 0);
  if (h + 300 > vp.height) await page.setViewportSize({ width: vp.width, height: h + 300 });
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: path.join(SCREENS, name + ".png") });
  if (h + 300 > vp.height) await page.setViewportSize(vp);
}
