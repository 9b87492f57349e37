import { describe, expect, it } from "vitest";
import { MEDIA_TYPES, isNondistributable, parseImageConfig, parseManifest, parseTokenResponse } from "./registry-schemas";

const D = (c: string) => `sha256:${c.repeat(64)}`;

describe("parseManifest", () => {
  it("parses an OCI manifest without mediaType (type from the header, then the shape)", () => {
    const body = { schemaVersion: 2, config: { digest: D("a"), size: 10 }, layers: [{ digest: D("b"), size: 20 }] };
    const fromHeader = parseManifest(body, `${MEDIA_TYPES.ociManifest}; charset=utf-8`, "m");
    expect(fromHeader).toEqual({
      kind: "manifest",
      mediaType: MEDIA_TYPES.ociManifest,
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: D("a"), size: 10 },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: D("b"), size: 20 }],
    });
    expect(parseManifest(body, "application/json", "m").mediaType).toBe(MEDIA_TYPES.ociManifest);
  });

  it("flags foreign and non-distributable layers and keeps their urls", () => {
    const m = parseManifest(
      {
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.dockerManifest,
        config: { mediaType: "application/vnd.docker.container.image.v1+json", digest: D("a"), size: 1 },
        layers: [
          { mediaType: "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", digest: D("b"), size: 5, urls: ["https://mcr.example/b"] },
          { mediaType: "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd", digest: D("c"), size: 5 },
          { mediaType: "application/vnd.oci.image.layer.v1.tar+zstd", digest: D("d"), size: 5 },
        ],
      },
      null,
      "m",
    );
    if (m.kind !== "manifest") throw new Error("kind");
    expect(m.layers.map((l) => l.nondistributable ?? false)).toEqual([true, true, false]);
    expect(m.layers[0]!.urls).toEqual(["https://mcr.example/b"]);
    expect(isNondistributable("application/vnd.oci.image.layer.v1.tar")).toBe(false);
  });

  it("parses a Docker manifest list and marks attestations both ways", () => {
    const m = parseManifest(
      {
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.dockerList,
        manifests: [
          { mediaType: MEDIA_TYPES.dockerManifest, digest: D("a"), size: 1, platform: { os: "linux", architecture: "arm64", variant: "v8" } },
          { mediaType: MEDIA_TYPES.ociManifest, digest: D("b"), size: 1, platform: { os: "unknown", architecture: "unknown" } },
          { mediaType: MEDIA_TYPES.ociManifest, digest: D("c"), size: 1, annotations: { "vnd.docker.reference.type": "attestation-manifest" } },
        ],
      },
      null,
      "m",
    );
    if (m.kind !== "index") throw new Error("kind");
    expect(m.mediaType).toBe(MEDIA_TYPES.dockerList);
    expect(m.manifests.map((e) => [e.platform, e.attestation])).toEqual([
      [{ os: "linux", architecture: "arm64", variant: "v8" }, false],
      [{ os: "unknown", architecture: "unknown" }, true],
      [null, true],
    ]);
  });

  it("rejects schema 1, bad digests and negative sizes with UPSTREAM_FAILED", () => {
    expect(() => parseManifest({ schemaVersion: 1, fsLayers: [] }, MEDIA_TYPES.dockerSchema1, "m")).toThrow(/schema 1/);
    expect(() => parseManifest({ schemaVersion: 2, config: { digest: "md5:x", size: 1 }, layers: [] }, null, "m")).toThrow(/config.digest/);
    expect(() => parseManifest({ schemaVersion: 2, config: { digest: D("a"), size: -1 }, layers: [] }, null, "m")).toThrow(/not a valid image manifest/);
    expect(() => parseManifest({ manifests: "nope" }, MEDIA_TYPES.ociIndex, "m")).toThrow(/image index/);
  });
});

describe("parseTokenResponse", () => {
  it("accepts token or access_token and defaults expires_in to 60", () => {
    expect(parseTokenResponse({ token: "t", access_token: "t", expires_in: 300, issued_at: "2025-05-02T08:11:09.123456789Z" }, "x")).toEqual({
      token: "t",
      expiresInSeconds: 300,
    });
    expect(parseTokenResponse({ access_token: "a" }, "x")).toEqual({ token: "a", expiresInSeconds: 60 });
    expect(() => parseTokenResponse({ expires_in: 300 }, "x")).toThrow(/no token/);
    expect(() => parseTokenResponse("nope", "x")).toThrow(/token response/);
  });
});

describe("parseImageConfig", () => {
  it("keeps what the scanner reads and tolerates hostile shapes", () => {
    const cfg = parseImageConfig(
      {
        architecture: "amd64",
        os: "linux",
        config: { Env: ["A=1", 5, null], Cmd: "node server.js", Labels: { a: "b", n: 3, o: { x: 1 } }, User: 7 },
        container_config: { Cmd: ["/bin/sh", "-c", "#(nop) ENV A=1"] },
        rootfs: { type: "layers", diff_ids: [D("e")] },
        history: [{ created_by: "ENV STRIPE_KEY=sk_live_FAKE", empty_layer: true }, "garbage", { created_by: 9 }],
        docker_version: "24.0.0",
      },
      "c",
    );
    expect(cfg).toEqual({
      architecture: "amd64",
      os: "linux",
      config: { Env: ["A=1"], Cmd: "node server.js", Labels: { a: "b", n: "3" } },
      container_config: { Cmd: ["/bin/sh", "-c", "#(nop) ENV A=1"] },
      rootfs: { type: "layers", diff_ids: [D("e")] },
      history: [{ created_by: "ENV STRIPE_KEY=sk_live_FAKE", empty_layer: true }, {}, {}],
    });
    expect(parseImageConfig({ config: null, history: "x" }, "c")).toEqual({ config: null });
    expect(() => parseImageConfig([1], "c")).toThrow(/not a JSON object/);
  });
});
