// @ts-check
import react from "@astrojs/react";
import { defineConfig } from "astro/config";

// A static site: `astro build` writes dist/, which the Python backend serves next to its API.
// During `astro dev`, /api goes to the backend (started with `make example` or uvicorn on :8000).
export default defineConfig({
  output: "static",
  integrations: [react()],
  vite: {
    server: {
      proxy: { "/api": "http://127.0.0.1:8000" },
    },
  },
});
