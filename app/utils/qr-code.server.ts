import QRCode from "qrcode";

/**
 * A QR code as inline SVG, named for screen readers as one image (not hundreds of paths) with what
 * it is for; the text beside it on the page says the same for anyone who cannot scan.
 */
export async function qrCodeSvg(text: string, label: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
  const name = label.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
  return svg.replace("<svg ", `<svg role="img" aria-label="${name}" focusable="false" `);
}
