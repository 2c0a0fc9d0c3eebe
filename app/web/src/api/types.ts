// Shapes from the API contract (issue 2, section 4). Money is always integer paisa.
import type { CartLine } from '../lib/cart';
import type { CheckoutRequest } from '../lib/checkoutForm';

export type Role = 'customer' | 'staff' | 'admin';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface Category {
  id: string;
  slug: string;
  name: string;
}

export interface Product {
  id: string;
  sku: string;
  name: string;
  pricePaisa: number;
  stock: number;
  category: string;
  imageUrl: string;
  description?: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface CartItem extends CartLine {
  name?: string;
  stock?: number;
}

export interface Cart {
  items: CartItem[];
  totalPaisa: number;
}

export interface OrderItem {
  productId: string;
  quantity: number;
  pricePaisa: number;
  name?: string;
}

export interface Order {
  id: string;
  status: string;
  totalPaisa: number;
  items: OrderItem[];
  createdAt?: string;
  paymentMethod?: string;
  shippingAddress?: CheckoutRequest['shippingAddress'];
  userId?: string;
  email?: string;
}

export interface NewProduct {
  sku: string;
  name: string;
  pricePaisa: number;
  stock: number;
  category: string;
  imageUrl?: string;
}

export type ProductPatch = Partial<Pick<Product, 'name' | 'pricePaisa' | 'stock'>>;
