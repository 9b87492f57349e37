// Number/date formatting for the dashboards (one locale for server and client: no hydration drift).
const LOCALE = "en-GB";
const int = new Intl.NumberFormat(LOCALE);
const compact = new Intl.NumberFormat(LOCALE, { notation: "compact", maximumFractionDigits: 1 });
const pct = new Intl.NumberFormat(LOCALE, { style: "percent", maximumFractionDigits: 0 });
const dec1 = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });
const date = new Intl.DateTimeFormat(LOCALE, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
const dateTime = new Intl.DateTimeFormat(LOCALE, {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
  timeZoneName: "short",
});

export const fmt = {
  int: (n: number) => int.format(n),
  compact: (n: number) => (n >= 10_000 ? compact.format(n) : int.format(n)),
  pct: (x: number) => pct.format(x),
  dec1: (n: number) => dec1.format(n),
  date: (d: Date | string | null | undefined) => (d ? date.format(new Date(d)) : "—"),
  dateTime: (d: Date | string | null | undefined) => (d ? dateTime.format(new Date(d)) : "—"),
  hours: (h: number | null | undefined) => {
    if (h === null || h === undefined) return "—";
    if (h < 48) return `${dec1.format(h)} h`;
    return `${dec1.format(h / 24)} days`;
  },
  label: (s: string) => s.replace(/_/g, " "),
};

/** Cheap fingerprint of dashboard figures: the live refresher re-renders when it changes. */
export function signatureOf(o: Record<string, unknown>): string {
  const pick = (k: string) => JSON.stringify((o as Record<string, { value?: unknown }>)[k]?.value ?? o[k] ?? null);
  return ["openTotal", "shadowTotal", "toReview", "total"].map(pick).join("|");
}
