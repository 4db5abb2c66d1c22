/**
 * The WireGuard server's keys and configurations. The key pair is made in the program
 * (32 random bytes kept in state as a secret, clamped, public key derived), so every
 * client configuration exists before the host boots and nothing is generated on it.
 *
 * The host that runs the tunnel is an access host (`AwsBastion` or `AzureBastion` with
 * `vpn`): on the bastion next to SSH, or on a host of its own with `ssh: false`. That host
 * creates this component with its public address as the endpoint.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { throwIfProblems } from "@pfv5/zones";
import { checkCidr } from "@pfv5/zones";
import { checkVpn, planVpn, type VpnArgs } from "./plan";
import { renderClientConfig, renderServerConfig } from "./wireguard";
import { clampPrivateKey, publicKeyOf } from "./wireguard-keys";

export interface WireGuardServerArgs extends VpnArgs {
  /** The public address or DNS name clients dial (the host's Elastic or public IP). */
  readonly endpoint: pulumi.Input<string>;
  /** The VPC or VNet block: what clients route through the tunnel unless `allowedIps` says otherwise. */
  readonly vpcCidr: string;
}

export class WireGuardServer extends pulumi.ComponentResource {
  /** The server's public key, for clients configured by hand. */
  readonly publicKey: pulumi.Output<string>;
  /** The server's private key. Secret. */
  readonly privateKey: pulumi.Output<string>;
  /** The server's wg-quick file (holds the private key). Secret. */
  readonly serverConfig: pulumi.Output<string>;
  /** One wg-quick file per peer, keyed by peer name. Secret. */
  readonly clientConfigs: pulumi.Output<Record<string, string>>;
  /** The tunnel address of each peer, keyed by peer name. */
  readonly peerAddresses: pulumi.Output<Record<string, string>>;
  /** The tunnel interface on the host, e.g. `wg0`. */
  readonly interfaceName: string;

  constructor(name: string, args: WireGuardServerArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate everything before registering anything, the component included.
    throwIfProblems(`WireGuardServer "${name}"`, [...checkCidr("vpcCidr", args.vpcCidr), ...checkVpn(args, args.vpcCidr)]);
    super("pfv5:access:WireGuardServer", name, {}, opts);
    const plan = planVpn(args, args.vpcCidr);
    this.interfaceName = plan.interfaceName;

    const seed = new random.RandomBytes(`${name}-server-key`, { length: 32 }, { parent: this });
    // The mock layer and older providers do not mark this output secret; we always do.
    this.privateKey = pulumi.secret(seed.base64.apply(clampPrivateKey));
    this.publicKey = pulumi.unsecret(this.privateKey.apply(publicKeyOf));
    this.serverConfig = pulumi.secret(this.privateKey.apply((key) => renderServerConfig(plan.server, key)));
    this.clientConfigs = pulumi.secret(
      pulumi.all([this.publicKey, pulumi.output(args.endpoint)]).apply(([serverPublicKey, endpoint]) =>
        Object.fromEntries(
          plan.server.peers.map((peer) => [
            peer.name,
            renderClientConfig(peer, {
              serverPublicKey,
              endpoint,
              listenPort: plan.server.listenPort,
              allowedIps: plan.allowedIps,
              dns: plan.dns,
              persistentKeepalive: plan.persistentKeepalive,
            }),
          ]),
        ),
      ),
    );
    this.peerAddresses = pulumi.output(Object.fromEntries(plan.server.peers.map((p) => [p.name, p.address])));

    this.registerOutputs({
      publicKey: this.publicKey,
      privateKey: this.privateKey,
      serverConfig: this.serverConfig,
      clientConfigs: this.clientConfigs,
      peerAddresses: this.peerAddresses,
      interfaceName: this.interfaceName,
    });
  }
}
