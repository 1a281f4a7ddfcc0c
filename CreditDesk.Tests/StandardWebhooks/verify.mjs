// Reads {secret, id, timestamp, signature, body} as JSON on stdin and verifies it with the Standard Webhooks
// reference library. Exit 0 and "verified" when the signature holds; exit 1 with the library's error otherwise.
import { Webhook } from "standardwebhooks";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { secret, id, timestamp, signature, body } = JSON.parse(input);
try {
  new Webhook(secret).verify(body, { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature });
  console.log("verified");
} catch (error) {
  console.log(`refused: ${error.message}`);
  process.exit(1);
}
