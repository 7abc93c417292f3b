/**
 * What SpecGate says about itself in `initialize` (serverInfo) and in the MCP registry's
 * server.json (at the package root; test/mcp/metadata.test.ts checks the two agree with
 * package.json).
 */
import type { Implementation } from "@modelcontextprotocol/sdk/types.js";
import { VERSION } from "../version.js";

export const WEBSITE_URL = "https://github.com/specgate/specgate";

/** A gate over a page: 64×64, two colours, no script, no external reference. */
export const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">' +
  '<rect width="64" height="64" rx="12" fill="#1f4e79"/>' +
  '<path d="M18 14h22l8 8v28H18z" fill="#fff"/>' +
  '<path d="M24 30h18M24 37h18M24 44h12" stroke="#1f4e79" stroke-width="3" stroke-linecap="round"/>' +
  '<path d="M22 20l5 5 9-9" fill="none" stroke="#2e9e5b" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>' +
  "</svg>";

/** The icon as a data: URI, so that no client has to fetch anything to show it. */
export const ICON_DATA_URI = `data:image/svg+xml;base64,${Buffer.from(ICON_SVG, "utf8").toString("base64")}`;

export const SERVER_INFO: Implementation = Object.freeze({
  name: "specgate",
  title: "SpecGate",
  version: VERSION,
  websiteUrl: WEBSITE_URL,
  icons: [{ src: ICON_DATA_URI, mimeType: "image/svg+xml", sizes: ["any"] }],
});
