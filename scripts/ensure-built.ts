// Builds the app once when `.next` is missing or older than the sources (used by npm test).
import { ensureBuilt } from "../tests/support/app-server";

await ensureBuilt();
