/**
 * Meld's fault proxy: a TCP proxy that speaks the Toxiproxy HTTP API, so the chaos bench can cut,
 * slow and damage node-to-node links on the local backend, and a real Toxiproxy can take its place.
 *
 * <p>Public entry points: {@link dev.meld.chaos.proxy.FaultProxyServer} (in-process server), {@link
 * dev.meld.chaos.proxy.FaultProxyMain} (standalone process) and {@link
 * dev.meld.chaos.proxy.MeshLinks} (the bench's typed view of directed links, built on the Toxiproxy
 * Java client). Inside: {@code ToxiproxyApi} (routes, pure), {@code ProxyRegistry} and {@code
 * FaultProxy} (state), {@code ProxiedConnection} and {@code Flow} (sockets and backpressure),
 * {@code StageChain} and the {@code *Stage} classes (one per toxic type).
 */
package dev.meld.chaos.proxy;
