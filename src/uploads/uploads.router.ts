import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { UploadUrlSigner } from './upload-url.signer.js';

export const UPLOADS_PATH = '/uploads';

/**
 * Stored images under /uploads. With a signer, only URLs it signed and that have not expired are served, with
 * private caching for at most their remaining lifetime; without one (open mode) every image is served, as the
 * legacy server did.
 */
export function createUploadsRouter(uploadDir: string, signer: UploadUrlSigner | null): Router {
  const router = express.Router();
  if (signer) {
    router.use((request: Request, response: Response, next: NextFunction) => {
      const path = request.originalUrl.split('?', 1)[0] as string;
      const check = signer.check(path, request.query.expires, request.query.signature);
      if (!check.ok) {
        response.status(403).json({ errors: [{ message: check.message, extensions: { code: check.code } }] });
        return;
      }
      response.setHeader('Cache-Control', `private, max-age=${check.remainingSeconds}`);
      next();
    });
  }
  router.use(
    express.static(uploadDir, {
      dotfiles: 'deny',
      index: false,
      fallthrough: true,
      // Signed answers carry their own private Cache-Control (set above).
      cacheControl: !signer,
      setHeaders: (response) => response.setHeader('X-Content-Type-Options', 'nosniff'),
    }),
  );
  return router;
}
