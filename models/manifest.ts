// Where the VGG-19 weights come from and what they must hash to. The checksums are pinned here and only
// here: the fetch command refuses any file that does not match every checksum listed.
import { fileURLToPath } from 'node:url';

export interface WeightsSource {
  /** Shown to the user. */
  label: string;
  /** File name of the download, also used for the local copy. */
  fileName: string;
  /** Tried in order; the first that answers is used. */
  urls: readonly string[];
  /** Exact size in bytes, when known: refuses a cut-off download before hashing it. */
  bytes?: number;
  /** Lowercase hex digests. At least one must be given. */
  sha256?: string;
  md5?: string;
  /** Conv layers the converted network must have (16 for VGG-19). */
  convLayers: number;
}

/**
 * Keras' ImageNet VGG-19 without the classifier (convolutional layers only, TensorFlow kernel layout
 * [3, 3, in, out]), trained from the original Caffe model; inputs are BGR with the ImageNet mean subtracted.
 *
 * Keras publishes only an MD5 for this file (keras.applications.vgg19, `file_hash`), and its size is
 * 80134624 bytes. No SHA-256 published by the Keras team could be found; once one is confirmed, add it as
 * `sha256` here and it will be enforced as well.
 */
export const VGG19_KERAS_NOTOP: WeightsSource = {
  label: 'VGG-19 ImageNet weights (Keras, no top)',
  fileName: 'vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5',
  urls: [
    'https://storage.googleapis.com/tensorflow/keras-applications/vgg19/vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5',
    'https://github.com/fchollet/deep-learning-models/releases/download/v0.1/vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5',
  ],
  bytes: 80_134_624,
  md5: '253f8cb515780f3b799900260a226db6',
  convLayers: 16,
};

/** Where `npm run models:fetch` puts the converted weights (git-ignored). */
export const DEFAULT_WEIGHTS_DIR = fileURLToPath(new URL('./weights/vgg19/', import.meta.url)).replace(/[\\/]$/, '');

/** Where downloads are kept, so that a failed conversion does not mean downloading 80 MB again. */
export const DOWNLOAD_DIR = fileURLToPath(new URL('./weights/downloads/', import.meta.url)).replace(/[\\/]$/, '');
