export type Role = 'customer' | 'staff' | 'admin';
export type PaymentMethod = 'bkash' | 'nagad' | 'card' | 'cod';
export type OrderStatus = 'pending' | 'paid' | 'confirmed' | 'payment_failed';

export interface Category {
  id: number;
  slug: string;
  name: string;
  productCount: number;
}

export interface Product {
  id: number;
  sku: string;
  name: string;
  description: string;
  pricePaisa: number;
  stock: number;
  category: string;
  imageUrl: string | null;
  featured: boolean;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface CartLine {
  productId: number;
  quantity: number;
  pricePaisa: number;
  name: string;
  stock: number;
}

export interface ShippingAddress {
  name: string;
  phone: string;
  line1: string;
  city: string;
  postalCode: string;
}

export interface OrderItem {
  productId: number;
  name: string;
  quantity: number;
  pricePaisa: number;
}

export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  paymentMethod: PaymentMethod;
  totalPaisa: number;
  shippingAddress: ShippingAddress;
  failureReason: string | null;
  createdAt: string;
  items: OrderItem[];
}
