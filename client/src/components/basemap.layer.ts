import L from 'leaflet';

export type BasemapKind = 'pmtiles-raster' | 'pmtiles-vector';

/**
 * The offline base map from a PMTiles archive served by this server: raster tiles (PNG, JPEG, WebP) through the
 * `pmtiles` Leaflet layer, vector tiles drawn by `protomaps-leaflet` in its dark style. Both libraries are loaded
 * only when a base map is configured, and both expect Leaflet as the global `L`.
 */
export async function pmtilesLayer(
  url: string,
  attribution: string | null,
): Promise<{ layer: L.Layer; kind: BasemapKind }> {
  (globalThis as { L?: typeof L }).L ??= L;
  const { PMTiles, TileType, leafletRasterLayer } = await import('pmtiles');
  const archive = new PMTiles(url);
  const header = await archive.getHeader();
  if (header.tileType === TileType.Mvt) {
    const { leafletLayer } = await import('protomaps-leaflet');
    const layer = leafletLayer({
      url,
      flavor: 'dark',
      lang: 'en',
      maxDataZoom: header.maxZoom,
      attribution: attribution ?? '© OpenStreetMap contributors',
    }) as unknown as L.Layer;
    return { layer, kind: 'pmtiles-vector' };
  }
  const layer = leafletRasterLayer(archive, {
    attribution: attribution ?? '',
    maxNativeZoom: header.maxZoom,
    minZoom: 0,
    maxZoom: 19,
  }) as L.Layer;
  return { layer, kind: 'pmtiles-raster' };
}
